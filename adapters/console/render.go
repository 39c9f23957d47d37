package console

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

const descriptionPreview = 240

// render turns a message into text: its lines, then one block per card.
func (c *Console) render(m bot.Message) string {
	var sb strings.Builder
	if m.Text != "" {
		sb.WriteString(m.Text)
		sb.WriteString("\n")
	}
	for _, card := range m.Cards {
		sb.WriteString(c.renderCard(m.Printer(), card))
	}
	if a := m.Attachment; a != nil {
		if !textual(a) {
			fmt.Fprintf(&sb, "--- %s (%s, %d bytes): not text, so not shown here ---\n", a.Name, a.ContentType, len(a.Data))
		} else {
			fmt.Fprintf(&sb, "--- %s (%s) ---\n%s\n--- end of %s ---\n", a.Name, a.ContentType, strings.TrimRight(string(a.Data), "\n"), a.Name)
		}
	}
	return sb.String()
}

// renderCard shows a notice as a block of labelled lines: the core's
// facts, what the notice is about and where it is, then the core's notes.
func (c *Console) renderCard(p text.Printer, card bot.Card) string {
	n := card.Notice
	var sb strings.Builder
	line := func(label, value string) {
		switch {
		case value == "":
		case label == "":
			fmt.Fprintf(&sb, "  | %s\n", value)
		default:
			fmt.Fprintf(&sb, "  | %-9s %s\n", label+":", value)
		}
	}
	fmt.Fprintf(&sb, "  + %s\n", card.Title(p))
	fields := card.Fields(p, bot.LocalTime(p, c.location))
	for _, f := range fields {
		if !f.IsNote() {
			line(f.Label, f.Text)
		}
	}
	line("Published", c.formatDate(n.Published))
	line("About", truncate(card.Description(), descriptionPreview))
	line("Link", card.Link())
	for _, f := range fields {
		if f.IsNote() {
			line(f.Label, f.Text)
		}
	}
	if len(card.Actions) > 0 {
		line("Ref", card.Ref+"  (`follow "+card.Ref+"` to follow it)")
	}
	return sb.String()
}

func (c *Console) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.location).Format("2 Jan 2006")
}

// truncate shortens s to at most n runes on a word boundary.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// textual reports whether an attachment can be printed: text, JSON or a
// calendar, in valid UTF-8.
func textual(a *bot.Attachment) bool {
	t := a.ContentType
	return (strings.HasPrefix(t, "text/") || strings.HasSuffix(t, "json")) && utf8.Valid(a.Data)
}
