package slack

import (
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/text"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares v, as indented JSON, with testdata/name; -update rewrites
// the file.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	bottest.GoldenJSON(t, filepath.Join("testdata", name), v, *update)
}

func amsterdam(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

func TestRenderAlert(t *testing.T) {
	r := renderMessage(bot.Message{Text: `New tender for your profile "Bouw":`, Cards: []bot.Card{testCard()}}, amsterdam(t), messageBlockLimit)
	golden(t, "alert.json", r.blocks)
	if r.fallback != `New tender for your profile "Bouw":` {
		t.Errorf("fallback: got %q", r.fallback)
	}
	all := texts(t, mustMarshal(t, r.blocks))
	for _, want := range []string{
		"<https://aanbestedingen.example/twente/2026-0412|Renovatie sporthal De Sluis>",
		"gevel &amp; installaties &lt;fase 1&gt;",
		"*Buyer*\nGemeente Almelo",
		"*Kind*\ntender",
		"*CPV*\n45212225 Bouwen van sporthallen",
		"*Region*\nNL213 Twente",
		"*Value*\nEUR 450,000",
		"*Deadline*\nFri 15 Jan 2027 12:00 CET (49 days left)",
		"*Why it matched:* cpv 45212225 under 45; nuts NL213 under NL21",
		"Follow", "Not relevant", "Mute buyer", "Open notice",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the alert lacks %q", want)
		}
	}
}

func TestRenderCardWithoutValueDeadlineOrLink(t *testing.T) {
	c := testCard()
	c.Notice.Value, c.Notice.Deadline, c.Notice.URL, c.Actions = nil, time.Time{}, "javascript:alert(1)", nil
	c.Via = "Twente Business Desk"
	all := texts(t, mustMarshal(t, renderMessage(bot.Message{Cards: []bot.Card{c}}, time.UTC, messageBlockLimit).blocks))
	for _, want := range []string{"*Value*\nvalue not stated", "*Deadline*\nnot stated", "*Renovatie sporthal De Sluis*", "via Twente Business Desk"} {
		if !strings.Contains(all, want) {
			t.Errorf("the card lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "javascript:") || strings.Contains(all, "Open notice") {
		t.Errorf("a link that is not a web URL is shown:\n%s", all)
	}
}

func TestRenderKeepsToTheBlockLimit(t *testing.T) {
	m := bot.Message{Text: strings.Repeat("a long line of text\n", 400)}
	for range 30 {
		m.Cards = append(m.Cards, testCard())
	}
	for _, limit := range []int{messageBlockLimit, viewBlockLimit} {
		r := renderMessage(m, time.UTC, limit)
		if len(r.blocks) > limit {
			t.Errorf("limit %d: got %d blocks", limit, len(r.blocks))
		}
		all := texts(t, mustMarshal(t, r.blocks))
		if !strings.Contains(all, "more notice(s) not shown here") {
			t.Errorf("limit %d: no note on the cards left out", limit)
		}
		for _, b := range r.blocks {
			if raw := string(mustMarshal(t, b)); strings.Contains(raw, `"type":"section"`) && len([]rune(raw)) > sectionTextLimit+500 {
				t.Errorf("a section longer than Slack takes: %d characters", len(raw))
			}
		}
	}
}

func TestRenderViews(t *testing.T) {
	golden(t, "form.json", formView(text.Printer{}, formMeta{Channel: "C0CHAN", ResponseURL: "https://hooks.slack.com/commands/T/1/x"}))
	home := homeView(text.Printer{}, bot.Message{Text: "Your profiles (1):\n1. Bouw — `cpv:45 nuts:NL21` (instant)", Cards: []bot.Card{testCard()}}, amsterdam(t))
	golden(t, "home.json", home)
}

func TestSplitText(t *testing.T) {
	text := strings.Repeat("abcdefghi\n", 10) // 100 characters
	pieces := splitText(text, 35)
	if strings.Join(pieces, "\n") != strings.TrimRight(text, "\n") {
		t.Errorf("pieces do not add up to the text: %q", pieces)
	}
	for _, p := range pieces {
		if len(p) > 35 || strings.HasPrefix(p, "\n") {
			t.Errorf("piece %q: longer than 35 or starts with a line break", p)
		}
	}
	if got := splitText("", 10); len(got) != 0 {
		t.Errorf("empty text: got %q", got)
	}
	if got := splitText(strings.Repeat("é", 25), 10); len(got) != 3 || got[2] != strings.Repeat("é", 5) {
		t.Errorf("a line without breaks: got %q", got)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(fmt.Errorf("marshal: %w", err))
	}
	return b
}
