package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

func TestCardEmbed(t *testing.T) {
	e := cardEmbed(text.Printer{}, testCard(7), 0)
	fields := map[string]string{}
	for _, f := range e.Fields {
		fields[f.Name] = f.Value
	}
	want := map[string]string{
		"Buyer":          "Gemeente Almelo",
		"Kind":           "tender",
		"Value":          "EUR 450,000",
		"Deadline":       "<t:1800010800:f> (49 days left)",
		"CPV":            "45212225; 45000000 Construction work",
		"Region":         "NL213 Twente",
		"Why it matched": "cpv 45212225 under 45",
	}
	for name, value := range want {
		if fields[name] != value {
			t.Errorf("field %s: got %q, want %q", name, fields[name], value)
		}
	}
	if e.Title != "Renovatie sporthal De Sluis" || e.URL != "https://www.almelo.nl/aanbesteding/1" {
		t.Errorf("title %q linking to %q", e.Title, e.URL)
	}
	if e.Footer == nil || e.Footer.Text != "Profile: Bouw · Ref "+bot.NoticeRef("n-sporthal") {
		t.Errorf("footer: %+v", e.Footer)
	}
	if e.Color != kindColors[bot.KindTender] || e.Timestamp != "2026-11-20T09:00:00Z" {
		t.Errorf("colour %x, timestamp %q", e.Color, e.Timestamp)
	}
}

// TestCardInDutch: a message in Dutch has its embed's fields, footer and
// buttons in Dutch, with Dutch amounts.
func TestCardInDutch(t *testing.T) {
	c := testCard(7)
	parts := render(bot.Message{Cards: []bot.Card{c}, Language: text.Dutch}, formButtons(text.For(text.Dutch), "abc", true))
	e := parts[0].embeds[0]
	fields := map[string]string{}
	for _, f := range e.Fields {
		fields[f.Name] = f.Value
	}
	if got := fields["Waarde"]; got != "€ 450.000" {
		t.Errorf("Waarde: got %q, want %q (fields %v)", got, "€ 450.000", fields)
	}
	if e.Footer == nil || !strings.Contains(e.Footer.Text, "Ref "+c.Ref) {
		t.Errorf("footer: got %+v", e.Footer)
	}
	var labels []string
	for _, row := range parts[0].rows {
		for _, b := range row.(discordgo.ActionsRow).Components {
			labels = append(labels, b.(discordgo.Button).Label)
		}
	}
	if got, want := strings.Join(labels, ","), "Profiel opslaan,Wijzigen,Annuleren"; !strings.HasPrefix(got, want) || !strings.Contains(got, "Aankondiging openen") {
		t.Errorf("buttons: got %s, want %s first and Aankondiging openen", got, want)
	}
}

func TestCardEmbedWithout(t *testing.T) {
	c := testCard(7)
	c.Notice.Value = nil
	c.Notice.URL = "javascript:alert(1)"
	c.DaysLeft = -1
	e := cardEmbed(text.Printer{}, c, 0)
	for _, f := range e.Fields {
		if f.Name == "Value" && f.Value != "value not stated" {
			t.Errorf("value: got %q, want %q", f.Value, "value not stated")
		}
		if f.Name == "Deadline" && !strings.HasSuffix(f.Value, "(closed)") {
			t.Errorf("deadline: got %q", f.Value)
		}
	}
	if e.URL != "" {
		t.Errorf("the embed links to %q", e.URL)
	}
	row, _ := cardRow(text.Printer{}, c, 0, map[string]bool{})
	for _, b := range row.Components {
		if b.(discordgo.Button).Style == discordgo.LinkButton {
			t.Error("a link button to a URL Discord refuses")
		}
	}
}

func TestRenderFitsDiscordsLimits(t *testing.T) {
	long := strings.Repeat("A line of text that goes on for a while.\n", 120) // ~5000 characters
	many := bot.Message{Text: long}
	for i := range 12 {
		c := testCard(int64(i + 1))
		c.Notice.Description = strings.Repeat("word ", 200)
		many.Cards = append(many.Cards, c)
	}
	parts := render(many, formButtons(text.Printer{}, "abc", true))
	cards, text := 0, ""
	for i, p := range parts {
		m := &discordgo.Message{Content: p.content, Embeds: p.embeds, Components: p.rows}
		if err := fakediscord.ValidateMessage(m); err != nil {
			t.Errorf("part %d: Discord would refuse it: %v", i, err)
		}
		cards += len(p.embeds)
		text += p.content
	}
	if cards != 12 {
		t.Errorf("%d cards rendered, want 12", cards)
	}
	if strings.ReplaceAll(text, "\n", "") != strings.ReplaceAll(long, "\n", "") {
		t.Error("the text was not kept whole across parts")
	}
	if got := parts[len(parts)-1].embeds[0].Title; !strings.HasPrefix(got, fmt.Sprintf("%d. ", 12-len(parts[len(parts)-1].embeds)+1)) {
		t.Errorf("cards are not numbered: %q", got)
	}
	first := fakediscord.Buttons(parts[2].rows)
	if first[0].Label != "Save profile" {
		t.Errorf("the form's buttons should lead, under the text: got %q", first[0].Label)
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		text  string
		limit int
		want  []string
	}{
		{"", 10, nil},
		{"short", 10, []string{"short"}},
		{"one\ntwo\nthree", 8, []string{"one\ntwo", "three"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"ééééé", 2, []string{"éé", "éé", "é"}},
	}
	for _, tt := range tests {
		if got := splitText(tt.text, tt.limit); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("splitText(%q, %d): got %q, want %q", tt.text, tt.limit, got, tt.want)
		}
	}
}

func TestCardEmbedEscapesMarkdownFromFeeds(t *testing.T) {
	c := testCard(7)
	c.Notice.Title = "**Gratis** [klik hier](https://evil.example) ||geheim||"
	c.Notice.Description = "> quote\n# kop\n`code` __onder__ ~~door~~ *schuin* _ook_ \\ [x](https://evil.example)"
	c.Notice.Buyer = "Gemeente ||Almelo|| [x](https://evil.example)"
	c.Reasons = []string{"keyword '**renovatie**'"}
	e := cardEmbed(text.Printer{}, c, 0)
	texts := []string{e.Title, e.Description}
	for _, f := range e.Fields {
		if f.Name != "Deadline" {
			texts = append(texts, f.Value)
		}
	}
	for _, s := range texts {
		for _, raw := range []string{"**", "||", "](", "__", "~~", "`c"} {
			if strings.Contains(unescaped(s), raw) {
				t.Errorf("%q carries %q unescaped", s, raw)
			}
		}
	}
	for _, f := range e.Fields {
		if f.Name == "Deadline" && !strings.HasPrefix(f.Value, "<t:") {
			t.Errorf("deadline %q: our own timestamp markup must stay", f.Value)
		}
	}
	if got := e.Description; !strings.HasPrefix(got, "\\> quote") {
		t.Errorf("description %q: want the quote marker escaped", got)
	}
}

// unescaped is s with every backslash-escaped character removed, leaving
// only what Discord would read as markup.
func unescaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
