package fakediscord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Exchange is one interaction and everything the bot answered to it: the
// first response (over the callback route or, in HTTP mode, in the HTTP
// answer), edits of the original response and follow-ups.
type Exchange struct {
	s           *Server
	interaction *discordgo.Interaction

	// guarded by s.mu
	responses []Response
	replies   []Reply
	original  *discordgo.Message // the message the first response made, if any
}

// Response is an interaction response as the bot sent it.
type Response struct {
	Type discordgo.InteractionResponseType
	Data *ResponseData
}

// ResponseData is the data of an interaction response, its components
// decoded.
type ResponseData struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Flags      discordgo.MessageFlags
	Choices    []*discordgo.ApplicationCommandOptionChoice
	CustomID   string // modals
	Title      string // modals
}

// Reply is one message the person sees in answer to an interaction.
type Reply struct {
	// Kind is "response" (a message in the first response), "update" (a
	// component's message updated in place), "edit" (the original response
	// edited, as after a deferral) or "followup".
	Kind    string
	Message *discordgo.Message
}

// Interaction is the interaction as sent, with its id and token.
func (e *Exchange) Interaction() *discordgo.Interaction { return e.interaction }

// Responses returns the first responses received (more than one only when
// the bot answered twice, which Discord refuses).
func (e *Exchange) Responses() []Response {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return append([]Response(nil), e.responses...)
}

// Replies returns the messages shown in answer so far, in order.
func (e *Exchange) Replies() []Reply {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return append([]Reply(nil), e.replies...)
}

// WaitResponse waits for the first response.
func (e *Exchange) WaitResponse(ctx context.Context) (Response, error) {
	var r Response
	err := e.s.Wait(ctx, func() bool {
		rs := e.Responses()
		if len(rs) > 0 {
			r = rs[0]
			return true
		}
		return false
	})
	return r, err
}

// WaitReply waits for a reply whose text (content, embed titles,
// descriptions and fields) contains want.
func (e *Exchange) WaitReply(ctx context.Context, want string) (Reply, error) {
	var found Reply
	err := e.s.Wait(ctx, func() bool {
		for _, r := range e.Replies() {
			if strings.Contains(Text(r.Message), want) {
				found = r
				return true
			}
		}
		return false
	})
	if err != nil {
		return Reply{}, fmt.Errorf("no reply containing %q (got %s): %w", want, e.describe(), err)
	}
	return found, nil
}

// describe lists the replies so far, for failure messages.
func (e *Exchange) describe() string {
	var parts []string
	for _, r := range e.Replies() {
		parts = append(parts, fmt.Sprintf("%s %q", r.Kind, Text(r.Message)))
	}
	if len(parts) == 0 {
		return "no replies"
	}
	return strings.Join(parts, "; ")
}

// Text is everything a person reads in a message: its content, and each
// embed's title, description, fields and footer, one per line.
func Text(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	lines := []string{m.Content}
	for _, e := range m.Embeds {
		lines = append(lines, e.Title, e.Description)
		for _, f := range e.Fields {
			lines = append(lines, f.Name+": "+f.Value)
		}
		if e.Footer != nil {
			lines = append(lines, e.Footer.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// Buttons returns the buttons of a message's (or modal's) action rows, in
// order.
func Buttons(components []discordgo.MessageComponent) []*discordgo.Button {
	var out []*discordgo.Button
	for _, c := range components {
		if row, ok := asRow(c); ok {
			for _, inner := range row.Components {
				if b, ok := asButton(inner); ok {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

// TextInputs returns the text inputs of a modal, in order.
func TextInputs(components []discordgo.MessageComponent) []*discordgo.TextInput {
	var out []*discordgo.TextInput
	for _, c := range components {
		if row, ok := asRow(c); ok {
			for _, inner := range row.Components {
				if t, ok := asTextInput(inner); ok {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// apiError is an error answer of Discord's: a status, a JSON error code and
// a message.
type apiError struct {
	status, code int
	message      string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s (%d)", e.status, e.message, e.code) }

// invalid is Discord's 400 Invalid Form Body, naming the problem.
func invalid(err error) *apiError {
	return &apiError{status: http.StatusBadRequest, code: 50035, message: "Invalid Form Body: " + err.Error()}
}

// respond takes the bot's first response, as JSON.
func (e *Exchange) respond(body []byte) *apiError {
	r, err := decodeResponse(body)
	if err != nil {
		return invalid(err)
	}
	if err := checkResponse(e.interaction.Type, r); err != nil {
		return invalid(err)
	}
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(e.responses) > 0 {
		return &apiError{status: http.StatusBadRequest, code: 40060, message: "Interaction has already been acknowledged."}
	}
	e.responses = append(e.responses, r)
	var flags discordgo.MessageFlags
	if r.Data != nil {
		flags = r.Data.Flags
	}
	switch r.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		e.original = r.Data.message(s.newIDLocked(), e.interaction.ChannelID)
		e.replies = append(e.replies, Reply{Kind: "response", Message: e.original})
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		e.original = &discordgo.Message{ID: s.newIDLocked(), ChannelID: e.interaction.ChannelID, Flags: flags}
	case discordgo.InteractionResponseUpdateMessage:
		e.original = r.Data.message(e.componentMessageID(), e.interaction.ChannelID)
		e.replies = append(e.replies, Reply{Kind: "update", Message: e.original})
	case discordgo.InteractionResponseDeferredMessageUpdate:
		e.original = &discordgo.Message{ID: e.componentMessageID(), ChannelID: e.interaction.ChannelID}
	}
	s.notifyLocked()
	return nil
}

// componentMessageID is the id of the message a clicked component is on.
func (e *Exchange) componentMessageID() string {
	if e.interaction.Message != nil {
		return e.interaction.Message.ID
	}
	return e.s.newIDLocked()
}

// checkResponse refuses response types Discord does not accept for the
// interaction's type, and malformed modals and choices.
func checkResponse(it discordgo.InteractionType, r Response) error {
	allowed := map[discordgo.InteractionType][]discordgo.InteractionResponseType{
		discordgo.InteractionPing:                           {discordgo.InteractionResponsePong},
		discordgo.InteractionApplicationCommand:             {4, 5, 9},
		discordgo.InteractionMessageComponent:               {4, 5, 6, 7, 9},
		discordgo.InteractionApplicationCommandAutocomplete: {discordgo.InteractionApplicationCommandAutocompleteResult},
		discordgo.InteractionModalSubmit:                    {4, 5, 6, 7},
	}
	ok := false
	for _, t := range allowed[it] {
		ok = ok || t == r.Type
	}
	if !ok {
		return fmt.Errorf("response type %d is not valid for an interaction of type %s", r.Type, it)
	}
	switch r.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if r.Data == nil {
			return errors.New("a message response needs data")
		}
		return validateMessage(r.Data.message("", ""), r.Type == discordgo.InteractionResponseChannelMessageWithSource)
	case discordgo.InteractionResponseModal:
		if r.Data == nil {
			return errors.New("a modal needs data")
		}
		return validateModal(r.Data)
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if r.Data == nil {
			return errors.New("an autocomplete result needs data")
		}
		return validateChoices(r.Data.Choices)
	}
	return nil
}

// edit applies a PATCH to the original response or a follow-up.
func (e *Exchange) edit(messageID string, body []byte, attachments []*discordgo.MessageAttachment) (*discordgo.Message, *apiError) {
	var patch struct {
		Content    *string                    `json:"content"`
		Embeds     *[]*discordgo.MessageEmbed `json:"embeds"`
		Components *[]json.RawMessage         `json:"components"`
	}
	if err := json.Unmarshal(body, &patch); err != nil {
		return nil, invalid(err)
	}
	var components []discordgo.MessageComponent
	if patch.Components != nil {
		var err error
		if components, err = decodeComponents(*patch.Components); err != nil {
			return nil, invalid(err)
		}
	}
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	target := e.original
	if messageID != "@original" {
		target = nil
		for _, r := range e.replies {
			if r.Kind == "followup" && r.Message.ID == messageID {
				target = r.Message
			}
		}
	}
	if target == nil {
		return nil, &apiError{status: http.StatusNotFound, code: 10008, message: "Unknown Message"}
	}
	edited := *target
	if patch.Content != nil {
		edited.Content = *patch.Content
	}
	if patch.Embeds != nil {
		edited.Embeds = *patch.Embeds
	}
	if patch.Components != nil {
		edited.Components = components
	}
	if attachments != nil {
		edited.Attachments = attachments
	}
	if err := validateMessage(&edited, true); err != nil {
		return nil, invalid(err)
	}
	*target = edited
	e.replies = append(e.replies, Reply{Kind: "edit", Message: &edited})
	s.notifyLocked()
	return &edited, nil
}

// followUp posts a follow-up message.
func (e *Exchange) followUp(body []byte, attachments []*discordgo.MessageAttachment) (*discordgo.Message, *apiError) {
	var m discordgo.Message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, invalid(err)
	}
	m.Attachments = attachments
	if err := validateMessage(&m, true); err != nil {
		return nil, invalid(err)
	}
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.original == nil {
		return nil, &apiError{status: http.StatusNotFound, code: 10015, message: "Unknown Webhook"}
	}
	m.ID = s.newIDLocked()
	m.ChannelID = e.interaction.ChannelID
	m.Timestamp = time.Now().UTC()
	e.replies = append(e.replies, Reply{Kind: "followup", Message: &m})
	s.notifyLocked()
	return &m, nil
}

// message is the message a response's data shows.
func (d *ResponseData) message(id, channelID string) *discordgo.Message {
	return &discordgo.Message{ID: id, ChannelID: channelID, Content: d.Content, Embeds: d.Embeds, Components: d.Components, Flags: d.Flags}
}

// decodeResponse reads an interaction response, decoding its components.
func decodeResponse(body []byte) (Response, error) {
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *struct {
			Content    string                                      `json:"content"`
			Embeds     []*discordgo.MessageEmbed                   `json:"embeds"`
			Components []json.RawMessage                           `json:"components"`
			Flags      discordgo.MessageFlags                      `json:"flags"`
			Choices    []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
			CustomID   string                                      `json:"custom_id"`
			Title      string                                      `json:"title"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Response{}, fmt.Errorf("interaction response: %v", err)
	}
	r := Response{Type: raw.Type}
	if raw.Data != nil {
		components, err := decodeComponents(raw.Data.Components)
		if err != nil {
			return Response{}, err
		}
		r.Data = &ResponseData{
			Content: raw.Data.Content, Embeds: raw.Data.Embeds, Components: components, Flags: raw.Data.Flags,
			Choices: raw.Data.Choices, CustomID: raw.Data.CustomID, Title: raw.Data.Title,
		}
	}
	return r, nil
}

func decodeComponents(raws []json.RawMessage) ([]discordgo.MessageComponent, error) {
	out := make([]discordgo.MessageComponent, 0, len(raws))
	for _, raw := range raws {
		c, err := discordgo.MessageComponentFromJSON(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
