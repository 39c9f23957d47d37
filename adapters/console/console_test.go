package console

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// echoCore answers every command with its text and records calls.
type echoCore struct {
	mu       sync.Mutex
	commands []bot.Command
	idled    bool
	chosen   text.Language // what the user chose with `language`; "" for nothing
}

func (c *echoCore) LanguageFor(_ context.Context, _ bot.Subscriber, locale string) text.Language {
	return text.Pick(string(c.chosen), locale)
}

func (c *echoCore) Handle(_ context.Context, cmd bot.Command) bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commands = append(c.commands, cmd)
	return bot.Message{Text: "you said " + cmd.Text}
}

func (c *echoCore) WaitIdle(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idled = true
	return nil
}

func TestRunReadsOneCommandPerLineAndWaitsAtEnd(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader("help\n\n# a comment\n  profiles  \n"), &out, "ann", nil)
	core := &echoCore{}
	if err := c.Run(context.Background(), core); err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(core.commands) != 2 {
		t.Fatalf("commands: got %d, want 2 (blank lines and comments skipped)", len(core.commands))
	}
	want := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: Workspace, User: "ann"}
	if got := core.commands[1]; got.From != want || got.Text != "profiles" {
		t.Errorf("second command: got %+v, want %q from %+v", got, "profiles", want)
	}
	if !core.idled {
		t.Error("Run returned without waiting for the core to be idle")
	}
	for _, w := range []string{"> help\nyou said help", "> profiles\nyou said profiles"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output %q lacks %q", out.String(), w)
		}
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() { done <- New(r, &strings.Builder{}, "ann", nil).Run(ctx, &echoCore{}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}

func TestRenderCard(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	c := New(nil, nil, "ann", ams)
	deadline := time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC)
	got := c.render(bot.Message{
		Text: "New tender for your profile \"Bouw\":",
		Cards: []bot.Card{{
			Notice: bot.Notice{
				Title: "Renovatie sporthal De Sluis", Buyer: "Gemeente Almelo", Kind: bot.KindTender,
				Value: &bot.Money{Amount: 450000, Currency: "EUR"}, Deadline: deadline,
				URL: "https://www.almelo.nl/aanbesteding/1",
			},
			CPV:      []bot.CodeName{{Code: "45212225", Label: ""}, {Code: "45000000", Label: "Construction work"}},
			Regions:  []bot.CodeName{{Code: "NL213", Label: "Twente"}},
			Reasons:  []string{"cpv 45212225 under 45"},
			Profile:  "Bouw",
			DaysLeft: 49,
		}},
	})
	for _, want := range []string{
		"New tender for your profile \"Bouw\":",
		"+ Renovatie sporthal De Sluis",
		"| Buyer:    Gemeente Almelo",
		"| CPV:      45212225; 45000000 Construction work",
		"| Region:   NL213 Twente",
		"| Value:    EUR 450,000",
		"| Deadline: Fri 15 Jan 2027 12:00 CET (49 days left)",
		"| Link:     https://www.almelo.nl/aanbesteding/1",
		"| Why it matched: cpv 45212225 under 45",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered card lacks %q:\n%s", want, got)
		}
	}
}

func TestSendRefusesOtherPlatforms(t *testing.T) {
	c := New(nil, &strings.Builder{}, "ann", nil)
	_, err := c.Send(context.Background(), bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}, bot.Message{Text: "hi"})
	if err == nil {
		t.Fatal("sending a Slack subscriber's message to the console succeeded")
	}
}

func TestFollowUpIsIndentedUnderItsAlert(t *testing.T) {
	var out strings.Builder
	c := New(nil, &out, "ann", nil)
	id, err := c.Send(context.Background(), c.Subscriber(), bot.Message{Text: "New tender"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), c.Subscriber(), bot.Message{Text: "Update: the deadline moved", ReplyTo: id}); err != nil {
		t.Fatal(err)
	}
	if want := "  ↳ (about message " + id + ")\n    Update: the deadline moved"; !strings.Contains(out.String(), want) {
		t.Errorf("output %q lacks the indented follow-up %q", out.String(), want)
	}
}

func TestAttachmentIsPrinted(t *testing.T) {
	c := New(nil, nil, "ann", nil)
	got := c.render(bot.Message{Text: "Everything I hold about you", Attachment: &bot.Attachment{Name: "my-data.json", ContentType: "application/json", Data: []byte(`{"profiles": []}`)}})
	if !strings.Contains(got, "--- my-data.json (application/json) ---\n{\"profiles\": []}\n--- end of my-data.json ---") {
		t.Errorf("attachment not printed: %q", got)
	}
}

// TestSendShowsOnlyTheUsersMessages: the console is one person's chat; a
// message to another console user waits in the outbox for them.
func TestSendShowsOnlyTheUsersMessages(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader(""), &out, "ann", nil)
	ann := c.Subscriber()
	bob := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: Workspace, User: "bob"}
	channel := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: Workspace, Channel: "team"}
	if _, err := c.Send(context.Background(), ann, bot.Message{Text: "for ann"}); err != nil {
		t.Fatalf("send to ann: %v", err)
	}
	if _, err := c.Send(context.Background(), channel, bot.Message{Text: "for the team"}); err != nil {
		t.Fatalf("send to a channel: %v", err)
	}
	_, err := c.Send(context.Background(), bob, bot.Message{Text: "for bob"})
	var later *bot.RetryAfterError
	if !errors.As(err, &later) {
		t.Errorf("send to bob: got %v, want it held for later", err)
	}
	if got := out.String(); !strings.Contains(got, "for ann") || !strings.Contains(got, "for the team") || strings.Contains(got, "for bob") {
		t.Errorf("output: got %q, want ann's and the channel's messages only", got)
	}
}

// terminal is input that says it is a terminal, as os.Stdin does there.
type terminal struct{ io.Reader }

func (terminal) Stat() (os.FileInfo, error) { return terminalInfo{}, nil }

type terminalInfo struct{ os.FileInfo }

func (terminalInfo) Mode() os.FileMode { return os.ModeDevice | os.ModeCharDevice }

// TestTypedLinesAreNotEchoed: a terminal shows what was typed already; a
// pipe does not, so only then is the command echoed.
func TestTypedLinesAreNotEchoed(t *testing.T) {
	var out strings.Builder
	c := New(terminal{strings.NewReader("help\n")}, &out, "ann", nil)
	if err := c.Run(context.Background(), &echoCore{}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Contains(got, "> help") || !strings.Contains(got, "you said help") {
		t.Errorf("output on a terminal: got %q, want the reply without the typed line again", got)
	}
}

func TestALineTooLongIsRefusedAndReadingGoesOn(t *testing.T) {
	var out strings.Builder
	long := strings.Repeat("x", maxLineBytes+1)
	in := "help\n" + long + "\nprofiles\n" + strings.Repeat("y", 3*maxLineBytes) + "\nhome"
	core := &echoCore{}
	if err := New(strings.NewReader(in), &out, "ann", nil).Run(context.Background(), core); err != nil {
		t.Fatalf("run: %v", err)
	}
	var got []string
	for _, c := range core.commands {
		got = append(got, c.Text)
	}
	if strings.Join(got, " ") != "help profiles home" {
		t.Errorf("commands: got %.80q, want help, profiles and home", got)
	}
	if n := strings.Count(out.String(), "longer than 64 KiB"); n != 2 {
		t.Errorf("refusals: got %d, want 2 in %.200q", n, out.String())
	}
	if strings.Contains(out.String(), strings.Repeat("x", 100)) {
		t.Error("the long line was echoed")
	}
}

// TestConsoleSpeaksTheChosenLanguage checks that what the console says
// itself follows the language its user chose, over the terminal's.
func TestConsoleSpeaksTheChosenLanguage(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader(strings.Repeat("x", maxLineBytes+1)+"\n"), &out, "ann", nil)
	c.SetLocale("en_US.UTF-8")
	if err := c.Run(context.Background(), &echoCore{chosen: text.Dutch}); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "Die regel is langer dan 64 KiB"; !strings.Contains(got, want) {
		t.Errorf("refusal to a user who chose Dutch: got %.200q, want it to contain %q", got, want)
	}
}

// TestDutchReaderGetsDutchCard checks that a message in Dutch shows its
// labels, dates and amounts in Dutch, and that the console reports its
// user's locale to the core.
func TestDutchReaderGetsDutchCard(t *testing.T) {
	c := New(strings.NewReader("help\n"), &strings.Builder{}, "ann", time.UTC)
	c.SetLocale("nl_NL.UTF-8")
	core := &echoCore{}
	if err := c.Run(context.Background(), core); err != nil {
		t.Fatal(err)
	}
	if got := core.commands[0].Locale; got != "nl_NL.UTF-8" {
		t.Errorf("locale reported: got %q, want %q", got, "nl_NL.UTF-8")
	}
	got := c.render(bot.Message{
		Language: text.Dutch,
		Cards: []bot.Card{{
			Notice: bot.Notice{
				Title: "Renovatie sporthal", Kind: bot.KindTender, Value: &bot.Money{Amount: 450000, Currency: "EUR"},
				Published: time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC), URL: "https://www.almelo.nl/aanbesteding/1",
			},
			Ref: "a1", Actions: []bot.Action{{Kind: bot.ActionFollow}},
		}},
	})
	for _, want := range []string{"€ 450.000", "| Gepubliceerd: 10 mrt 2027", "| Link:", "(`follow a1` om te volgen)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Dutch card lacks %q:\n%s", want, got)
		}
	}
	for _, english := range []string{"Published", "to follow it"} {
		if strings.Contains(got, english) {
			t.Errorf("Dutch card says %q:\n%s", english, got)
		}
	}
}
