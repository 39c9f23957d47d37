package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// startHTTPApp runs the app in HTTP mode behind a test server.
func startHTTPApp(t *testing.T, core Core) (*fakeslack.Server, *Slack, *httptest.Server) {
	t.Helper()
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	app := New(Options{BotToken: fake.Options().BotToken, SigningSecret: testSecret, APIURL: fake.APIURL(), Logger: testLogger(t)})
	srv := httptest.NewServer(app.HTTPHandler())
	t.Cleanup(srv.Close)
	runApp(t, app, core)
	waitUntil(t, "HTTP mode is connected once auth.test passed", app.Connected)
	return fake, app, srv
}

// post sends a request to the app as Slack would, signed with secret at
// the given time, and returns the status and body.
func post(t *testing.T, srv *httptest.Server, path string, r *fakeslack.Request, secret string, at time.Time) (int, string) {
	t.Helper()
	req, err := r.HTTPRequest(context.Background(), srv.URL+path, secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestHTTPModeChecksEverySignature(t *testing.T) {
	fake, _, srv := startHTTPApp(t, &stubCore{})
	now := time.Now()
	tests := []struct {
		name   string
		secret string
		at     time.Time
		alter  func(*http.Request)
		want   int
	}{
		{"signed", testSecret, now, nil, http.StatusOK},
		{"wrong secret", "another-secret", now, nil, http.StatusUnauthorized},
		{"stale timestamp", testSecret, now.Add(-6 * time.Minute), nil, http.StatusUnauthorized},
		{"timestamp from the future", testSecret, now.Add(6 * time.Minute), nil, http.StatusUnauthorized},
		{"no signature", testSecret, now, func(r *http.Request) { r.Header.Del("X-Slack-Signature") }, http.StatusUnauthorized},
		{"body changed", testSecret, now, func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader("text=unsubscribe+1&user_id=U1"))
			r.ContentLength = -1
		}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "profiles"})
			req, err := cmd.HTTPRequest(context.Background(), srv.URL+CommandsPath, tt.secret, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if tt.alter != nil {
				tt.alter(req)
			}
			if got, body := send(t, req); got != tt.want {
				t.Errorf("status: got %d (%s), want %d", got, body, tt.want)
			}
			if tt.want == http.StatusOK {
				responseTo(t, fake, cmd.ResponseURL)
			}
		})
	}
}

func TestHTTPModeRefusesAReplayedRequest(t *testing.T) {
	fake, _, srv := startHTTPApp(t, &stubCore{})
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "profiles"})
	at := time.Now()
	if got, _ := post(t, srv, CommandsPath, cmd, testSecret, at); got != http.StatusOK {
		t.Fatalf("first: got %d, want 200", got)
	}
	if got, _ := post(t, srv, CommandsPath, cmd, testSecret, at); got != http.StatusUnauthorized {
		t.Errorf("the same signed request again: got %d, want 401", got)
	}
}

func TestHTTPModeHandlesARedeliveredEventOnce(t *testing.T) {
	core := &stubCore{}
	fake, _, srv := startHTTPApp(t, core)
	open := fake.AppHomeOpened("U1")
	if got, _ := post(t, srv, EventsPath, open, testSecret, time.Now()); got != http.StatusOK {
		t.Fatalf("event: got %d, want 200", got)
	}
	if _, err := fake.WaitCall(testContext(t), "views.publish", nil); err != nil {
		t.Fatal(err)
	}
	// Slack sends it again, signed afresh, with the same event_id.
	again := *open
	again.RetryAttempt, again.RetryReason = 1, "http_timeout"
	if got, _ := post(t, srv, EventsPath, &again, testSecret, time.Now().Add(time.Second)); got != http.StatusOK {
		t.Errorf("the redelivered event: got %d, want 200 (taken, not handled again)", got)
	}
	other := fake.AppHomeOpened("U2")
	post(t, srv, EventsPath, other, testSecret, time.Now())
	if _, err := fake.WaitCall(testContext(t), "views.publish", func(c fakeslack.Call) bool { return c.Param("user_id") == "U2" }); err != nil {
		t.Fatal(err)
	}
	if n := len(core.snapshot().homes); n != 2 {
		t.Errorf("homes built: got %d, want 2", n)
	}
}

func TestHTTPModeAnswersURLVerification(t *testing.T) {
	_, _, srv := startHTTPApp(t, &stubCore{})
	body := []byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+EventsPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	fakeslack.Sign(req.Header, body, testSecret, time.Now())
	got, answer := send(t, req)
	if got != http.StatusOK || !strings.Contains(answer, `"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"`) {
		t.Errorf("got %d %s, want the challenge back", got, answer)
	}
}

func TestHTTPModeAnswersInteractionsInTheResponse(t *testing.T) {
	core := &stubCore{}
	fake, _, srv := startHTTPApp(t, core)
	post(t, srv, CommandsPath, fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "subscribe"}), testSecret, time.Now())
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	suggest, _ := fake.Suggestion("U1", inputCPV, inputCPV, "bouw")
	if got, body := post(t, srv, InteractivityPath, suggest, testSecret, time.Now()); got != http.StatusOK || !strings.Contains(body, `"value":"45210000"`) {
		t.Errorf("suggestions: got %d %s", got, body)
	}
	submit, _ := fake.ViewSubmission("U1", fakeslack.Values{inputWords: {inputWords: fakeslack.Text("zonnepanelen")}})
	got, body := post(t, srv, InteractivityPath, submit, testSecret, time.Now())
	if got != http.StatusOK || !strings.Contains(body, `"response_action":"push"`) {
		t.Errorf("form submission: got %d %s, want a push of the preview", got, body)
	}
}

func TestHTTPModeBeforeRunAsksSlackToRetry(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	app := New(Options{BotToken: fake.Options().BotToken, SigningSecret: testSecret, APIURL: fake.APIURL()})
	srv := httptest.NewServer(app.HTTPHandler())
	t.Cleanup(srv.Close)
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "help"})
	if got, _ := post(t, srv, CommandsPath, cmd, testSecret, time.Now()); got != http.StatusServiceUnavailable {
		t.Errorf("before Run: got %d, want 503", got)
	}
	if app.Connected() {
		t.Error("connected before Run")
	}
}

func TestRunFailsOnARefusedToken(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	app := New(Options{BotToken: "xoxb-not-the-one", AppToken: fake.Options().AppToken, APIURL: fake.APIURL()})
	err := app.Run(testContext(t), &stubCore{})
	var te *TokenError
	if !errors.As(err, &te) || te.Token != "bot" || te.Reason != "invalid_auth" {
		t.Errorf("got %v, want the bot token refused (invalid_auth)", err)
	}

	app = New(Options{BotToken: fake.Options().BotToken, AppToken: "xapp-not-the-one", APIURL: fake.APIURL()})
	err = app.Run(testContext(t), &stubCore{})
	if !errors.As(err, &te) || te.Token != "app" {
		t.Errorf("got %v, want the app token refused", err)
	}
}

func TestHTTPModeRefusesAReplayWithTheSignatureInAnotherCase(t *testing.T) {
	fake, _, srv := startHTTPApp(t, &stubCore{})
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "profiles"})
	at := time.Now()
	if got, _ := post(t, srv, CommandsPath, cmd, testSecret, at); got != http.StatusOK {
		t.Fatalf("first: got %d, want 200", got)
	}
	for _, recase := range []func(string) string{strings.ToUpper, mixedCase} {
		req, err := cmd.HTTPRequest(context.Background(), srv.URL+CommandsPath, testSecret, at)
		if err != nil {
			t.Fatal(err)
		}
		sig := req.Header.Get("X-Slack-Signature")
		req.Header.Set("X-Slack-Signature", "v0="+recase(strings.TrimPrefix(sig, "v0=")))
		if got, _ := send(t, req); got != http.StatusUnauthorized {
			t.Errorf("the same request with signature %s: got %d, want 401", req.Header.Get("X-Slack-Signature"), got)
		}
	}
}

// mixedCase upper-cases every other letter of s.
func mixedCase(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i += 2 {
		b[i] = strings.ToUpper(string(b[i]))[0]
	}
	return string(b)
}

func TestHTTPModeRemembersRequestsAcrossARestart(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	replays := &bottest.Replays{}
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "profiles"})
	at := time.Now()
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		app := New(Options{BotToken: fake.Options().BotToken, SigningSecret: testSecret, APIURL: fake.APIURL(), Logger: testLogger(t), Replays: replays})
		srv := httptest.NewServer(app.HTTPHandler())
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- app.Run(ctx, &stubCore{}) }()
		waitUntil(t, "HTTP mode is connected", app.Connected)
		if got, _ := post(t, srv, CommandsPath, cmd, testSecret, at); got != want {
			t.Errorf("run %d: got %d, want %d", i+1, got, want)
		}
		stop()
		<-done
		srv.Close()
	}
	if replays.Len() != 1 {
		t.Errorf("keys in the shared memory: got %d, want 1", replays.Len())
	}
}

// FuzzHTTPForms posts any body, signed, to the slash-command and
// interactivity endpoints: the form decoding never panics, and every
// answer is one Slack can take (never a 5xx).
func FuzzHTTPForms(f *testing.F) {
	for _, seed := range []string{
		"command=%2Ftender&text=profiles&user_id=U1&team_id=T1&channel_id=C1&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fr&trigger_id=1",
		"payload=%7B%22type%22%3A%22block_actions%22%7D",
		"payload=%7Bnot+json", "%zz", "text=" + strings.Repeat("a", 100), "",
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	app := New(Options{BotToken: "xoxb-fuzz", SigningSecret: testSecret, APIURL: "http://127.0.0.1:1/"})
	app.core.Store(&coreRef{&stubCore{}})
	handler := app.HTTPHandler()
	at := time.Now()
	f.Fuzz(func(t *testing.T, body string, command bool) {
		path := InteractivityPath
		if command {
			path = CommandsPath
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fakeslack.Sign(req.Header, []byte(body), testSecret, at)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Errorf("body %q to %s: got %d", body, path, w.Code)
		}
	})
}
