package fakediscord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// gatewayURL is where the gateway websocket is served.
func (s *Server) gatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway"
}

func (s *Server) gateway(w http.ResponseWriter, _ *http.Request, _ []byte) {
	writeJSON(w, http.StatusOK, map[string]string{"url": s.gatewayURL()})
}

func (s *Server) gatewayBot(w http.ResponseWriter, _ *http.Request, _ []byte) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    s.gatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1,
		},
	})
}

// overwriteCommands replaces the application's global or guild commands,
// validating them the way Discord does.
func (s *Server) overwriteCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.PathValue("app") != s.opts.AppID {
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeInvalid(w, fmt.Errorf("commands: %v", err))
		return
	}
	if err := validateCommands(cmds); err != nil {
		writeInvalid(w, err)
		return
	}
	s.storeCommands(r.PathValue("guild"), cmds)
	writeJSON(w, http.StatusOK, cmds)
}

// RegisterCommands registers commands as the bulk overwrite route does, for
// a guild or, with guildID "", globally: for tests that build interactions
// without a bot having registered them.
func (s *Server) RegisterCommands(guildID string, cmds []*discordgo.ApplicationCommand) error {
	b, err := json.Marshal(cmds)
	if err != nil {
		return err
	}
	var copied []*discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &copied); err != nil {
		return err
	}
	if err := validateCommands(copied); err != nil {
		return err
	}
	s.storeCommands(guildID, copied)
	return nil
}

// storeCommands gives commands their ids and replaces the scope's.
func (s *Server) storeCommands(guild string, cmds []*discordgo.ApplicationCommand) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cmds {
		c.ID = s.newIDLocked()
		c.ApplicationID = s.opts.AppID
		c.GuildID = guild
		c.Version = s.newIDLocked()
		if c.Type == 0 {
			c.Type = discordgo.ChatApplicationCommand
		}
	}
	s.commands[guild] = cmds
	s.notifyLocked()
}

// createDM opens (or returns the open) DM channel with a user.
func (s *Server) createDM(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.RecipientID == "" {
		writeInvalid(w, fmt.Errorf("recipient_id is required"))
		return
	}
	s.mu.Lock()
	id, ok := s.dms[req.RecipientID]
	if !ok {
		id = s.newIDLocked()
		s.dms[req.RecipientID] = id
		s.channels[id] = &channel{id: id, dmUser: req.RecipientID, nonces: map[string]*discordgo.Message{}}
		s.notifyLocked()
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":         id,
		"type":       discordgo.ChannelTypeDM,
		"recipients": []map[string]string{{"id": req.RecipientID, "username": "user" + req.RecipientID}},
	})
}

// nonceWindow is how long Discord remembers a message's nonce for
// enforce_nonce.
const nonceWindow = 5 * time.Minute

// createMessage posts a message to a guild or DM channel. With
// enforce_nonce, a nonce the channel saw in the last minutes returns that
// message instead of posting another.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	payload, attachments, err := s.readPayload(r, body)
	if err != nil {
		writeInvalid(w, err)
		return
	}
	var m discordgo.Message
	var nonce struct {
		Nonce        json.RawMessage `json:"nonce"`
		EnforceNonce bool            `json:"enforce_nonce"`
	}
	if err := errors.Join(json.Unmarshal(payload, &m), json.Unmarshal(payload, &nonce)); err != nil {
		writeInvalid(w, fmt.Errorf("message: %v", err))
		return
	}
	m.Attachments = attachments
	if err := validateMessage(&m, true); err != nil {
		writeInvalid(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.channels[r.PathValue("channel")]
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	case ch.dmUser != "" && s.refuseDMs[ch.dmUser]:
		writeError(w, http.StatusForbidden, 50007, "Cannot send messages to this user")
		return
	}
	key := strings.Trim(string(nonce.Nonce), `"`)
	if prev, ok := ch.nonces[key]; ok && nonce.EnforceNonce && key != "" && time.Since(prev.Timestamp) < nonceWindow {
		writeJSON(w, http.StatusOK, prev)
		return
	}
	m.ID = s.newIDLocked()
	m.ChannelID = ch.id
	m.GuildID = ch.guildID
	m.Author = &discordgo.User{ID: s.opts.BotUserID, Username: "tenderbot", Bot: true}
	m.Timestamp = time.Now().UTC()
	ch.messages = append(ch.messages, &m)
	if key != "" {
		ch.nonces[key] = &m
	}
	s.notifyLocked()
	writeJSON(w, http.StatusOK, &m)
}

// readPayload returns a message body's JSON and its files: the body itself,
// or the payload_json and files[n] parts of a multipart body, whose files
// are kept for AttachmentData.
func (s *Server) readPayload(r *http.Request, body []byte) ([]byte, []*discordgo.MessageAttachment, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return body, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload []byte
	var attachments []*discordgo.MessageAttachment
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %v", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %v", err)
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = data
		case strings.HasPrefix(name, "files["):
			s.mu.Lock()
			id := s.newIDLocked()
			s.files[id] = data
			s.mu.Unlock()
			attachments = append(attachments, &discordgo.MessageAttachment{
				ID: id, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Size: len(data),
				URL: s.srv.URL + "/attachments/" + id + "/" + part.FileName(),
			})
		}
	}
	if payload == nil {
		return nil, nil, errors.New("multipart body without payload_json")
	}
	return payload, attachments, nil
}

// AttachmentData returns the bytes of a file the bot attached to a message.
func (s *Server) AttachmentData(a *discordgo.MessageAttachment) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[a.ID]
}

// callback takes the interaction's first response.
func (s *Server) callback(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	ex := s.exchanges[r.PathValue("id")]
	s.mu.Unlock()
	if ex == nil || ex.interaction.Token != r.PathValue("token") {
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if err := ex.respond(body); err != nil {
		writeError(w, err.status, err.code, err.message)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// exchangeForWebhook finds the interaction an interaction webhook call is
// about, answering the error itself when there is none, once replies are
// not held (HoldReplies).
func (s *Server) exchangeForWebhook(w http.ResponseWriter, r *http.Request) *Exchange {
	if !s.awaitRelease(r) {
		return nil // the bot went away while its reply was held
	}
	s.mu.Lock()
	ex := s.byToken[r.PathValue("token")]
	s.mu.Unlock()
	if r.PathValue("app") != s.opts.AppID || ex == nil {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return nil
	}
	return ex
}

// awaitAnswer gives an interaction's first response a moment to arrive. In
// HTTP mode it travels in the endpoint's HTTP answer, which Discord reads
// before it sees a webhook call the bot made right after answering.
func (s *Server) awaitAnswer(r *http.Request, ex *Exchange) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	s.Wait(ctx, func() bool { return len(ex.Responses()) > 0 })
}

// editReply edits the original response (or a follow-up) of an
// interaction.
func (s *Server) editReply(w http.ResponseWriter, r *http.Request, body []byte) {
	ex := s.exchangeForWebhook(w, r)
	if ex == nil {
		return
	}
	s.awaitAnswer(r, ex)
	payload, attachments, perr := s.readPayload(r, body)
	if perr != nil {
		writeInvalid(w, perr)
		return
	}
	m, err := ex.edit(r.PathValue("message"), payload, attachments)
	if err != nil {
		writeError(w, err.status, err.code, err.message)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// followUp posts a follow-up message to an acknowledged interaction.
func (s *Server) followUp(w http.ResponseWriter, r *http.Request, body []byte) {
	ex := s.exchangeForWebhook(w, r)
	if ex == nil {
		return
	}
	s.awaitAnswer(r, ex)
	payload, attachments, perr := s.readPayload(r, body)
	if perr != nil {
		writeInvalid(w, perr)
		return
	}
	m, err := ex.followUp(payload, attachments)
	if err != nil {
		writeError(w, err.status, err.code, err.message)
		return
	}
	if query(r.URL.RawQuery).Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
