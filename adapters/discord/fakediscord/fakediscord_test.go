package fakediscord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// toFake sends discordgo's requests for discord.com to the fake.
type toFake struct{ base *url.URL }

func (t toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host = t.base.Scheme, t.base.Host
	return http.DefaultTransport.RoundTrip(out)
}

// session is a real discordgo session pointed at the fake.
func session(t *testing.T, s *Server, token string) *discordgo.Session {
	t.Helper()
	base, _ := url.Parse(s.URL())
	dg, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: toFake{base}, Timeout: 5 * time.Second}
	dg.ShouldRetryOnRateLimit = false
	dg.ShouldReconnectOnError = false
	return dg
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestRateLimitIsWhatDiscordgoReads(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.AddChannel("G", "C")
	dg := session(t, s, s.Token())
	s.RateLimitNext("POST /channels/{channel}/messages", 1, 1500*time.Millisecond)
	_, err := dg.ChannelMessageSend("C", "hi")
	var limited *discordgo.RateLimitError
	if !errors.As(err, &limited) || limited.RetryAfter != 1500*time.Millisecond {
		t.Fatalf("got %v, want a RateLimitError of 1.5s", err)
	}
	call := s.CallsTo("POST /channels/{channel}/messages")[0]
	if call.Status != http.StatusTooManyRequests || call.Authorization != "Bot "+s.Token() {
		t.Errorf("call: %+v", call)
	}
	if n := len(s.Messages("C")); n != 0 {
		t.Errorf("a rate-limited message was posted")
	}
}

func TestRESTChecksTheToken(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	_, err := session(t, s, "wrong").UserChannelCreate("U1")
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusUnauthorized {
		t.Errorf("got %v, want 401", err)
	}
}

func TestRefusesWhatDiscordRefuses(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.AddChannel("G", "C")
	dg := session(t, s, s.Token())
	var rows []discordgo.MessageComponent
	for range 6 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "x", CustomID: strings.Repeat("x", len(rows)+1)}}})
	}
	tests := map[string]func() error{
		"six rows of buttons": func() error {
			_, err := dg.ChannelMessageSendComplex("C", &discordgo.MessageSend{Content: "x", Components: rows})
			return err
		},
		"an empty message": func() error { _, err := dg.ChannelMessageSendComplex("C", &discordgo.MessageSend{}); return err },
		"an embed field without value": func() error {
			_, err := dg.ChannelMessageSendEmbed("C", &discordgo.MessageEmbed{Title: "t", Fields: []*discordgo.MessageEmbedField{{Name: "n"}}})
			return err
		},
		"a command name in capitals": func() error {
			_, err := dg.ApplicationCommandBulkOverwrite(s.AppID(), "", []*discordgo.ApplicationCommand{{Name: "Tender", Description: "d"}})
			return err
		},
		"a required option after an optional one": func() error {
			_, err := dg.ApplicationCommandBulkOverwrite(s.AppID(), "", []*discordgo.ApplicationCommand{{Name: "t", Description: "d", Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "a", Description: "a"},
				{Type: discordgo.ApplicationCommandOptionString, Name: "b", Description: "b", Required: true},
			}}})
			return err
		},
	}
	for name, send := range tests {
		var rest *discordgo.RESTError
		if err := send(); !errors.As(err, &rest) || rest.Message == nil || rest.Message.Code != 50035 {
			t.Errorf("%s: got %v, want 400 Invalid Form Body", name, err)
		}
	}
}

// The gateway speaks the protocol discordgo expects: HELLO, IDENTIFY, a
// compressed READY, heartbeats acknowledged, interactions dispatched with
// their data intact.
func TestGateway(t *testing.T) {
	s := New(Options{HeartbeatInterval: 50 * time.Millisecond})
	defer s.Close()
	dg := session(t, s, s.Token())
	got := make(chan *discordgo.Interaction, 1)
	dg.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i.Interaction })
	if err := dg.Open(); err != nil {
		t.Fatal(err)
	}
	defer dg.Close()
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if dg.State.User == nil || dg.State.User.ID != s.opts.BotUserID {
		t.Errorf("READY's user: %+v", dg.State.User)
	}
	if ids := s.Identifies(); len(ids) != 1 || ids[0].Token != "Bot "+s.Token() || !ids[0].Compress {
		t.Errorf("identify: %+v", ids)
	}
	sent := time.Now()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		dg.RLock()
		acked := dg.LastHeartbeatAck.After(sent)
		dg.RUnlock()
		if acked {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no heartbeat was acknowledged")
		}
	}

	if _, err := s.Interact(ctx(t), Command(Origin{User: "U"}, "tender")); err == nil {
		t.Error("an unregistered command was dispatched")
	}
	ex, err := s.Interact(ctx(t), ModalSubmit(Origin{Guild: "G", Channel: "C", User: "U"}, "form", Field{ID: "words", Value: "zonnepanelen"}))
	if err != nil {
		t.Fatal(err)
	}
	var i *discordgo.Interaction
	select {
	case i = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("no interaction arrived")
	}
	data := i.ModalSubmitData()
	row := data.Components[0].(*discordgo.ActionsRow)
	if in := row.Components[0].(*discordgo.TextInput); data.CustomID != "form" || in.CustomID != "words" || in.Value != "zonnepanelen" || i.Member.User.ID != "U" {
		t.Errorf("interaction: %+v", i)
	}
	if err := dg.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	var rest *discordgo.RESTError
	if err := dg.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); !errors.As(err, &rest) || rest.Message.Code != 40060 {
		t.Errorf("a second response: got %v, want 40060 already acknowledged", err)
	}
	content := "done"
	if _, err := dg.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content}); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(ctx(t), "done"); err != nil {
		t.Fatal(err)
	}
}

func TestGatewayRefusesABadToken(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	dg := session(t, s, s.Token())
	dg.Identify.Token = "Bot wrong" // REST is let in; IDENTIFY carries a wrong token
	err := dg.Open()
	if err == nil {
		dg.Close()
		t.Fatal("a wrong token was let in")
	}
	if !strings.Contains(err.Error(), "4004") {
		t.Errorf("got %v, want close code 4004", err)
	}
}

func TestModalTextInputLengths(t *testing.T) {
	modal := func(in discordgo.TextInput) []byte {
		b, err := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: "m", Title: "t", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ok := discordgo.TextInput{CustomID: "q", Label: "Question", Style: discordgo.TextInputParagraph, MaxLength: 4000, Value: "x"}
	if err := ValidateResponse(discordgo.InteractionMessageComponent, modal(ok)); err != nil {
		t.Errorf("a good modal: %v", err)
	}
	for name, in := range map[string]discordgo.TextInput{
		"max_length 4001":        {CustomID: "q", Label: "Q", Style: discordgo.TextInputShort, MaxLength: 4001},
		"min_length above max":   {CustomID: "q", Label: "Q", Style: discordgo.TextInputShort, MinLength: 10, MaxLength: 5},
		"value longer than max":  {CustomID: "q", Label: "Q", Style: discordgo.TextInputShort, MaxLength: 2, Value: "abc"},
		"label of 46 characters": {CustomID: "q", Label: strings.Repeat("l", 46), Style: discordgo.TextInputShort},
		"placeholder of 101":     {CustomID: "q", Label: "Q", Style: discordgo.TextInputShort, Placeholder: strings.Repeat("p", 101)},
		"custom_id of 101":       {CustomID: strings.Repeat("c", 101), Label: "Q", Style: discordgo.TextInputShort},
	} {
		if err := ValidateResponse(discordgo.InteractionMessageComponent, modal(in)); err == nil {
			t.Errorf("%s: accepted; Discord refuses it", name)
		}
	}
}
