package fakeslack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func call(t *testing.T, s *Server, method string, header http.Header, contentType, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.APIURL()+method, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("%s answered %q: %v", method, raw, err)
	}
	return resp.StatusCode, resp.Header, answer
}

func TestWebAPITakesTheTokenInTheFormOrTheHeader(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	bot := s.Options().BotToken
	tests := []struct {
		name        string
		header      http.Header
		contentType string
		body        string
		wantError   any
	}{
		{"form token", http.Header{}, "application/x-www-form-urlencoded", url.Values{"token": {bot}, "channel": {"C1"}, "text": {"hi"}}.Encode(), nil},
		{"bearer and form", http.Header{"Authorization": {"Bearer " + bot}}, "application/x-www-form-urlencoded", "channel=C1&text=hi", nil},
		{"bearer and JSON", http.Header{"Authorization": {"Bearer " + bot}}, "application/json", `{"channel":"C1","text":"hi"}`, nil},
		{"no token", http.Header{}, "application/json", `{"channel":"C1","text":"hi"}`, "not_authed"},
		{"wrong token", http.Header{"Authorization": {"Bearer xoxb-other"}}, "application/json", `{"channel":"C1","text":"hi"}`, "invalid_auth"},
		{"app token for a bot method", http.Header{"Authorization": {"Bearer " + s.Options().AppToken}}, "application/json", `{"channel":"C1","text":"hi"}`, "invalid_auth"},
		{"blocks not an array", http.Header{"Authorization": {"Bearer " + bot}}, "application/x-www-form-urlencoded", "channel=C1&blocks=%7B%7D", "invalid_blocks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, answer := call(t, s, "chat.postMessage", tt.header, tt.contentType, tt.body)
			if status != http.StatusOK || answer["error"] != tt.wantError {
				t.Errorf("got %d %v, want error %v", status, answer, tt.wantError)
			}
		})
	}
	calls := s.Calls("chat.postMessage")
	if len(calls) != len(tests) || calls[0].Param("channel") != "C1" || calls[2].Param("text") != "hi" || calls[0].Token != bot {
		t.Errorf("recorded calls: %+v", calls)
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.RateLimit("chat.postMessage", 1, 2*time.Second)
	header := http.Header{"Authorization": {"Bearer " + s.Options().BotToken}}
	status, h, _ := call(t, s, "chat.postMessage", header, "application/json", `{"channel":"C1","text":"hi"}`)
	if status != http.StatusTooManyRequests || h.Get("Retry-After") != "2" {
		t.Errorf("got %d Retry-After %q, want 429 and 2", status, h.Get("Retry-After"))
	}
	if status, _, answer := call(t, s, "chat.postMessage", header, "application/json", `{"channel":"C1","text":"hi"}`); status != http.StatusOK || answer["ok"] != true {
		t.Errorf("the next call: got %d %v, want ok", status, answer)
	}
}

// openSocket calls apps.connections.open and dials the URL with the given
// Origin.
func openSocket(t *testing.T, s *Server, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	_, _, answer := call(t, s, "apps.connections.open", http.Header{"Authorization": {"Bearer " + s.Options().AppToken}}, "application/x-www-form-urlencoded", "")
	u, _ := answer["url"].(string)
	if !strings.HasPrefix(u, "ws://") {
		t.Fatalf("apps.connections.open: %v", answer)
	}
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial(u, h)
}

func TestSocketModeHelloPingsEnvelopesAndAcks(t *testing.T) {
	s := New(Options{PingInterval: 20 * time.Millisecond})
	defer s.Close()
	if _, resp, err := openSocket(t, s, "https://evil.example"); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign Origin: got %v, want the upgrade refused", err)
	}
	ws, _, err := openSocket(t, s, "https://api.slack.com")
	if err != nil {
		t.Fatalf("the Origin slack-go sends was refused: %v", err)
	}
	defer ws.Close()
	pinged := make(chan struct{}, 1)
	ws.SetPingHandler(func(string) error {
		select {
		case pinged <- struct{}{}:
		default:
		}
		return nil
	})

	var hello struct {
		Type           string `json:"type"`
		NumConnections int    `json:"num_connections"`
		DebugInfo      struct {
			Host string `json:"host"`
		} `json:"debug_info"`
		ConnectionInfo struct {
			AppID string `json:"app_id"`
		} `json:"connection_info"`
	}
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" || hello.NumConnections != 1 || hello.DebugInfo.Host == "" || hello.ConnectionInfo.AppID != s.Options().AppID {
		t.Fatalf("hello: got %+v (%v)", hello, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := s.SlashCommand(SlashCommand{User: "U1", Channel: "C1", Text: "help"})
	acked := make(chan Ack, 1)
	go func() {
		a, err := s.Deliver(ctx, r)
		if err != nil {
			t.Error(err)
		}
		acked <- a
	}()
	var env struct {
		EnvelopeID             string          `json:"envelope_id"`
		Type                   string          `json:"type"`
		Payload                json.RawMessage `json:"payload"`
		AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	}
	if err := ws.ReadJSON(&env); err != nil {
		t.Fatal(err)
	}
	if env.Type != "slash_commands" || env.EnvelopeID == "" || !env.AcceptsResponsePayload || !strings.Contains(string(env.Payload), `"response_url":"`+r.ResponseURL+`"`) {
		t.Errorf("envelope: got %+v", env)
	}
	ws.WriteJSON(map[string]any{"envelope_id": env.EnvelopeID, "payload": map[string]string{"text": "ok"}})
	// The read loop answers pings while it waits for more.
	go func() {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	select {
	case a := <-acked:
		if a.EnvelopeID != env.EnvelopeID || string(a.Payload) != `{"text":"ok"}` {
			t.Errorf("ack: got %+v", a)
		}
	case <-ctx.Done():
		t.Fatal("Deliver did not return the ack")
	}
	select {
	case <-pinged:
	case <-ctx.Done():
		t.Fatal("no ping")
	}
}

func TestTriggersExpireAndOpenOnce(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	r := s.SlashCommand(SlashCommand{User: "U1", Channel: "C1"})
	header := http.Header{"Authorization": {"Bearer " + s.Options().BotToken}}
	view := `{"type":"modal","title":{"type":"plain_text","text":"x"},"blocks":[],"callback_id":"cb"}`
	_, _, answer := call(t, s, "views.open", header, "application/json", `{"trigger_id":"`+r.TriggerID+`","view":`+view+`}`)
	if answer["ok"] != true {
		t.Fatalf("views.open: %v", answer)
	}
	if v, ok := s.TopView("U1"); !ok || v.CallbackID != "cb" {
		t.Errorf("top view: got %+v", v)
	}
	if _, _, answer := call(t, s, "views.open", header, "application/json", `{"trigger_id":"`+r.TriggerID+`","view":`+view+`}`); answer["error"] != "expired_trigger_id" {
		t.Errorf("the trigger used again: got %v, want expired_trigger_id", answer)
	}
}

func TestViewsAreCheckedAsSlackChecksThem(t *testing.T) {
	input := func(element string) string {
		return `{"type":"input","block_id":"b","label":{"type":"plain_text","text":"Title"},"element":` + element + `}`
	}
	modal := func(title string, blocks ...string) string {
		return `{"type":"modal","title":{"type":"plain_text","text":"` + title + `"},"submit":{"type":"plain_text","text":"Save"},"blocks":[` + strings.Join(blocks, ",") + `]}`
	}
	good := modal("New event", input(`{"type":"plain_text_input","action_id":"a","placeholder":{"type":"plain_text","text":"e.g. x"},"max_length":200}`))
	if err := CheckView(json.RawMessage(good)); err != nil {
		t.Errorf("a good modal: %v", err)
	}
	for name, view := range map[string]string{
		"title of 25 characters": modal(strings.Repeat("x", 25)),
		"no title":               `{"type":"modal","blocks":[]}`,
		"inputs without submit":  `{"type":"modal","title":{"type":"plain_text","text":"x"},"blocks":[` + input(`{"type":"plain_text_input","action_id":"a"}`) + `]}`,
		"placeholder of 151":     modal("x", input(`{"type":"plain_text_input","action_id":"a","placeholder":{"type":"plain_text","text":"`+strings.Repeat("p", 151)+`"}}`)),
		"empty placeholder":      modal("x", input(`{"type":"plain_text_input","action_id":"a","placeholder":{"type":"plain_text","text":""}}`)),
		"action_id of 256":       modal("x", input(`{"type":"plain_text_input","action_id":"`+strings.Repeat("a", 256)+`"}`)),
		"max_length of 3001":     modal("x", input(`{"type":"plain_text_input","action_id":"a","max_length":3001}`)),
		"initial value too long": modal("x", input(`{"type":"plain_text_input","action_id":"a","max_length":3,"initial_value":"abcd"}`)),
		"repeated block_id":      modal("x", input(`{"type":"plain_text_input","action_id":"a"}`), input(`{"type":"plain_text_input","action_id":"c"}`)),
		"input without label":    modal("x", `{"type":"input","block_id":"b","element":{"type":"plain_text_input","action_id":"a"}}`),
	} {
		if err := CheckView(json.RawMessage(view)); err == nil {
			t.Errorf("%s: accepted; Slack refuses it", name)
		}
	}

	s := New(Options{})
	defer s.Close()
	r := s.SlashCommand(SlashCommand{User: "U1", Channel: "C1"})
	header := http.Header{"Authorization": {"Bearer " + s.Options().BotToken}}
	long := modal("A title far too long for Slack")
	if _, _, answer := call(t, s, "views.open", header, "application/json", `{"trigger_id":"`+r.TriggerID+`","view":`+long+`}`); answer["error"] != "invalid_arguments" {
		t.Errorf("views.open with a 30-character title: got %v, want invalid_arguments", answer)
	}
}
