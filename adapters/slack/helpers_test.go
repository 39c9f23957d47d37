package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// stubCore answers like the core would, in a way tests can check, and
// records what it was asked.
type stubCore struct {
	mu         sync.Mutex
	commands   []bot.Command
	actions    []bot.Action
	managers   []bool // ChannelManager of each of actions
	previewed  []bot.ProfileForm
	saved      []savedForm
	homes      []bot.Subscriber
	previewErr error
	events     []map[string]string // event forms submitted
	questions  []question
}

type question struct {
	from    bot.Subscriber
	eventID int64
	text    string
}

// The stub's event form refuses U0SUPPLIER as the core refuses people
// without the staff role (no field), wants a title and a start, and finds
// the start "yesterday" in the past.
const supplier = "U0SUPPLIER"

func (c *stubCore) CheckEventForm(_ context.Context, from bot.Subscriber, values map[string]string) error {
	switch {
	case from.User == supplier:
		return bot.Errorf(bot.EINVALID, "Only people with the staff role can post events.")
	case values["title"] == "":
		return &bot.Error{Code: bot.EINVALID, Field: "title", Message: "Title is required."}
	case values["start"] == "yesterday":
		return &bot.Error{Code: bot.EINVALID, Field: "start", Message: "The start is in the past; give a date and time to come."}
	case values["start"] == "":
		return &bot.Error{Code: bot.EINVALID, Field: "start", Message: "Start (with time zone) is required."}
	}
	return nil
}

func (c *stubCore) SubmitEventForm(_ context.Context, _ bot.Subscriber, values map[string]string) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, values)
	id := int64(len(c.events))
	return bot.Message{Text: fmt.Sprintf("Draft saved as event %d: %s", id, values["title"]), Actions: []bot.Action{{Kind: bot.ActionPublish, EventID: id}}}
}

func (c *stubCore) Ask(_ context.Context, from bot.Subscriber, eventID int64, text string) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.questions = append(c.questions, question{from, eventID, text})
	return bot.Message{Text: fmt.Sprintf("Your question is Q%d for event %d.", len(c.questions), eventID)}
}

type savedForm struct {
	from    bot.Subscriber
	channel string
	form    bot.ProfileForm
}

func (c *stubCore) Handle(_ context.Context, cmd bot.Command) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commands = append(c.commands, cmd)
	if cmd.Text == "my data" {
		return bot.Message{
			Text:       "Everything I hold about you.",
			Attachment: &bot.Attachment{Name: "tenderbot-my-data.json", ContentType: "application/json", Data: []byte(`{"profiles":[]}`)},
			Actions:    []bot.Action{{Kind: bot.ActionForget, NoticeRef: strings.Repeat("0", 16)}},
		}
	}
	return bot.Message{Text: "you said `" + cmd.Text + "`"}
}

func (c *stubCore) HandleAction(_ context.Context, click bot.Click) bot.Message {
	a := click.Action
	c.mu.Lock()
	defer c.mu.Unlock()
	c.actions = append(c.actions, a)
	c.managers = append(c.managers, click.ChannelManager)
	return bot.Message{Text: "clicked " + string(a.Kind)}
}

func (c *stubCore) PreviewForm(_ context.Context, _ bot.Subscriber, f bot.ProfileForm) (bot.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.previewed = append(c.previewed, f)
	if c.previewErr != nil {
		return bot.Message{}, c.previewErr
	}
	return bot.Message{Text: "Your profile will be `" + f.Query() + "`.", Cards: []bot.Card{testCard()}}, nil
}

func (c *stubCore) SubscribeForm(_ context.Context, from bot.Subscriber, channel string, f bot.ProfileForm) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved = append(c.saved, savedForm{from, channel, f})
	return bot.Message{Text: "Saved `" + f.Query() + "`"}
}

func (c *stubCore) Home(_ context.Context, user bot.Subscriber) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.homes = append(c.homes, user)
	return bot.Message{Text: "Home of " + user.User}
}

// LanguageFor speaks what the chat reports: the stub knows no choices.
func (c *stubCore) LanguageFor(_ context.Context, _ bot.Subscriber, locale string) text.Language {
	return text.Pick(locale)
}

func (c *stubCore) Suggest(field, text string, limit int) []bot.CodeName {
	if field == "cpv" && strings.HasPrefix("bouw", strings.ToLower(text)) {
		return []bot.CodeName{{Code: "45000000", Label: "Bouwwerkzaamheden"}, {Code: "45210000", Label: "Bouwen van gebouwen"}}[:min(limit, 2)]
	}
	return nil
}

func (c *stubCore) snapshot() stubCore {
	c.mu.Lock()
	defer c.mu.Unlock()
	return stubCore{commands: append([]bot.Command(nil), c.commands...), actions: append([]bot.Action(nil), c.actions...), managers: append([]bool(nil), c.managers...),
		previewed: append([]bot.ProfileForm(nil), c.previewed...), saved: append([]savedForm(nil), c.saved...), homes: append([]bot.Subscriber(nil), c.homes...),
		events: append([]map[string]string(nil), c.events...), questions: append([]question(nil), c.questions...)}
}

// testCard is a card for an alert with all its parts.
func testCard() bot.Card {
	n := bot.Notice{
		ID: "twente-2026-0412", Title: "Renovatie sporthal De Sluis", Buyer: "Gemeente Almelo", Kind: bot.KindTender,
		Description: "Renovatie van sporthal De Sluis: dak, gevel & installaties <fase 1>.",
		Value:       &bot.Money{Amount: 450000, Currency: "EUR"},
		Deadline:    time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC),
		URL:         "https://aanbestedingen.example/twente/2026-0412",
	}
	ref := bot.NoticeRef(n.ID)
	return bot.Card{
		Notice:   n,
		CPV:      []bot.CodeName{{Code: "45212225", Label: "Bouwen van sporthallen"}},
		Regions:  []bot.CodeName{{Code: "NL213", Label: "Twente"}},
		Profile:  "Bouw",
		Reasons:  []string{"cpv 45212225 under 45", "nuts NL213 under NL21"},
		Ref:      ref,
		DaysLeft: 49,
		Actions: []bot.Action{
			{Kind: bot.ActionFollow, ProfileID: 7, NoticeRef: ref},
			{Kind: bot.ActionNotRelevant, ProfileID: 7, NoticeRef: ref},
			{Kind: bot.ActionMuteBuyer, ProfileID: 7, NoticeRef: ref},
		},
	}
}

// testLogger logs to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// testContext is a context that ends with the test, or after 20 seconds.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startSocketApp runs the app in Socket Mode against a fake Slack until the
// test ends, and waits for it to connect.
func startSocketApp(t *testing.T, core Core) (*fakeslack.Server, *Slack) {
	t.Helper()
	fake := fakeslack.New(fakeslack.Options{PingInterval: 100 * time.Millisecond})
	t.Cleanup(fake.Close)
	app := New(Options{
		BotToken: fake.Options().BotToken,
		AppToken: fake.Options().AppToken,
		APIURL:   fake.APIURL(),
		Logger:   testLogger(t),
	})
	runApp(t, app, core)
	if err := fake.WaitConnected(testContext(t)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the app says it is connected", app.Connected)
	return fake, app
}

// runApp runs app until the test ends, checking that it stops cleanly.
func runApp(t *testing.T, app *Slack, core Core) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, core) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
}

// waitUntil polls cond until it holds, failing the test after 10 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// deliver sends a request over the socket and returns its ack, which must
// come within Slack's three seconds.
func deliver(t *testing.T, fake *fakeslack.Server, r *fakeslack.Request) fakeslack.Ack {
	t.Helper()
	ack, err := fake.Deliver(testContext(t), r)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Latency > 3*time.Second {
		t.Errorf("%s acknowledged after %s; Slack gives up after 3s", r.Type, ack.Latency)
	}
	return ack
}

// responseTo waits for the post to a response_url.
func responseTo(t *testing.T, fake *fakeslack.Server, url string) fakeslack.Call {
	t.Helper()
	c, err := fake.WaitCall(testContext(t), "response_url", func(c fakeslack.Call) bool { return c.URL == url })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ackField reads a top-level string field of an ack payload.
func ackField(t *testing.T, ack fakeslack.Ack, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ack.Payload, &m); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	return fmt.Sprint(m[name])
}

// texts joins every "text" string in a JSON document (blocks, a view), to
// look for words in what Slack would show.
func texts(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	var sb strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "text" {
					sb.WriteString(s + "\n")
				} else {
					walk(e)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return sb.String()
}

// The core and its engagement events are what the app needs.
var _ Core = struct {
	*bot.Bot
	*engage.Service
}{}

// buttonIn returns the action_id of the first button in blocks whose
// action_id starts with prefix.
func buttonIn(t *testing.T, blocks, prefix string) string {
	t.Helper()
	id, ok := fakeslack.ButtonID(blocks, prefix)
	if !ok {
		t.Fatalf("no button %s… in %s", prefix, blocks)
	}
	return id
}
