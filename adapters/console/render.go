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
	p := m.Printer()
	for _, card := range m.Cards {
		sb.WriteString(c.renderCard(p, card))
	}
	if a := m.Attachment; a != nil {
		if !textual(a) {
			sb.WriteString(p.Sprintf("--- %s (%s, %d bytes): not text, so not shown here ---", a.Name, a.ContentType, len(a.Data)) + "\n")
		} else {
			sb.WriteString(p.Sprintf("--- %s (%s) ---", a.Name, a.ContentType) + "\n")
			sb.WriteString(strings.TrimRight(string(a.Data), "\n") + "\n")
			sb.WriteString(p.Sprintf("--- end of %s ---", a.Name) + "\n")
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
	line(p.Sprintf("Published"), c.formatDate(p, n.Published))
	line(p.Sprintf("About"), truncate(card.Description(), descriptionPreview))
	line(p.Sprintf("Link"), card.Link())
	for _, f := range fields {
		if f.IsNote() {
			line(f.Label, f.Text)
		}
	}
	if len(card.Actions) > 0 {
		line(p.Sprintf("Ref"), card.Ref+"  "+p.Sprintf("(`follow %s` to follow it)", card.Ref))
	}
	return sb.String()
}

func (c *Console) formatDate(p text.Printer, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return p.Format(t.In(c.location), "2 Jan 2006")
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
