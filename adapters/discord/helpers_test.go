package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// stubCore answers like the core would, in a way tests can recognise, and
// records what it was asked.
type stubCore struct {
	mu       sync.Mutex
	commands []bot.Command
	actions  []bot.Action
	clicks   []bot.Click
	saved    []bot.ProfileForm
	channels []string
	events   []map[string]string // event forms submitted
	asked    []string            // "<event id>: <question>" by <user>
	// reply, when set, answers every command.
	reply *bot.Message
}

func (c *stubCore) Handle(_ context.Context, cmd bot.Command) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commands = append(c.commands, cmd)
	if c.reply != nil {
		return *c.reply
	}
	return bot.Message{Text: "ran `" + cmd.Text + "`"}
}

func (c *stubCore) HandleAction(_ context.Context, click bot.Click) bot.Message {
	from, a := click.From, click.Action
	c.mu.Lock()
	defer c.mu.Unlock()
	c.actions = append(c.actions, a)
	c.clicks = append(c.clicks, click)
	return bot.Message{Text: fmt.Sprintf("did %s on %s for %s", a.Kind, a.NoticeRef, from.User)}
}

func (c *stubCore) PreviewForm(_ context.Context, _ bot.Subscriber, f bot.ProfileForm) (bot.Message, error) {
	if f.Query() == "" {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Fill in at least what you sell, a CPV code or a region.")
	}
	return bot.Message{Text: "Your profile will be `" + f.Query() + "`.", Cards: []bot.Card{testCard(7)}}, nil
}

func (c *stubCore) SubscribeForm(_ context.Context, _ bot.Subscriber, channel string, f bot.ProfileForm) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved = append(c.saved, f)
	c.channels = append(c.channels, channel)
	return bot.Message{Text: "Saved profile `" + f.Query() + "`."}
}

// The stub's event form refuses U0SUPPLIER as the core refuses people
// without the staff role (no field), and finds the start "yesterday" in
// the past.
const supplier = "U0SUPPLIER"

func (c *stubCore) CheckEventForm(_ context.Context, from bot.Subscriber, values map[string]string) error {
	switch {
	case from.User == supplier:
		return bot.Errorf(bot.EINVALID, "Only people with the staff role can post events.")
	case values["title"] == "":
		return &bot.Error{Code: bot.EINVALID, Field: "title", Message: "Title is required."}
	case values["start"] == "yesterday":
		return &bot.Error{Code: bot.EINVALID, Field: "start", Message: "The start is in the past; give a date and time to come."}
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

func (c *stubCore) Ask(_ context.Context, from bot.Subscriber, eventID int64, question string) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, fmt.Sprintf("%d: %s by %s", eventID, question, from.User))
	return bot.Message{Text: fmt.Sprintf("Your question is Q%d for event %d.", len(c.asked), eventID)}
}

// LanguageFor speaks what the chat reports: the stub knows no choices.
func (c *stubCore) LanguageFor(_ context.Context, _ bot.Subscriber, locale string) text.Language {
	return text.Pick(locale)
}

func (c *stubCore) Suggest(field, text string, limit int) []bot.CodeName {
	if field == "cpv" && strings.HasPrefix("45000000", text) {
		return []bot.CodeName{{Code: "45000000", Label: "Construction work"}, {Code: "45200000", Label: "Works for complete or part construction"}}[:min(limit, 2)]
	}
	return nil
}

func (c *stubCore) lastCommand() (bot.Command, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.commands) == 0 {
		return bot.Command{}, 0
	}
	return c.commands[len(c.commands)-1], len(c.commands)
}

// testCard is an alert card as the core makes it, for profile id.
func testCard(profile int64) bot.Card {
	ref := bot.NoticeRef("n-sporthal")
	return bot.Card{
		Notice: bot.Notice{
			ID: "n-sporthal", Title: "Renovatie sporthal De Sluis", Buyer: "Gemeente Almelo", Kind: bot.KindTender,
			Description: "Renovatie van de sporthal.", Value: &bot.Money{Amount: 450000, Currency: "EUR"},
			Deadline: time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC), URL: "https://www.almelo.nl/aanbesteding/1",
			Published: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		},
		CPV:      []bot.CodeName{{Code: "45212225"}, {Code: "45000000", Label: "Construction work"}},
		Regions:  []bot.CodeName{{Code: "NL213", Label: "Twente"}},
		Profile:  "Bouw",
		Reasons:  []string{"cpv 45212225 under 45"},
		DaysLeft: 49,
		Ref:      ref,
		Actions: []bot.Action{
			{Kind: bot.ActionFollow, ProfileID: profile, NoticeRef: ref},
			{Kind: bot.ActionNotRelevant, ProfileID: profile, NoticeRef: ref},
			{Kind: bot.ActionMuteBuyer, ProfileID: profile, NoticeRef: ref},
		},
	}
}

// testLogger logs through t, so a failing test shows what the adapter said.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// running is an adapter running against a fake Discord.
type running struct {
	fake *fakediscord.Server
	d    *Discord
	core *stubCore
}

// start runs the adapter against a new fake until the test ends; opts may
// adjust the options. It returns once the adapter is connected.
func start(t *testing.T, opts func(*Options, *fakediscord.Server)) running {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	return startOn(t, fake, opts)
}

// startOn is start against a fake Discord already running, as a bot started
// again finds it.
func startOn(t *testing.T, fake *fakediscord.Server, opts func(*Options, *fakediscord.Server)) running {
	t.Helper()
	o := Options{Token: fake.Token(), AppID: fake.AppID(), APIURL: fake.URL(), Logger: testLogger(t), ShutdownGrace: 5 * time.Second}
	if opts != nil {
		opts(&o, fake)
	}
	d, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	core := &stubCore{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, core) }()
	t.Cleanup(func() { // before fake.Close: a gateway that vanishes first makes discordgo reconnect
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wait(t, "the adapter to connect", func() bool { return d.Connected() })
	return running{fake: fake, d: d, core: core}
}

// wait polls cond until it holds, failing the test after 10 seconds.
func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// testCtx is a context for one test step.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
