package console

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
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
		sb.WriteString(c.renderCard(card))
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

// renderCard shows a notice as a block of labelled lines.
func (c *Console) renderCard(card bot.Card) string {
	n := card.Notice
	var sb strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&sb, "  | %-9s %s\n", label+":", value)
		}
	}
	fmt.Fprintf(&sb, "  + %s\n", n.Title)
	line("Buyer", n.Buyer)
	line("Kind", n.Kind.Label())
	line("CPV", bot.CodesText(card.CPV))
	line("Region", bot.CodesText(card.Regions))
	line("Value", bot.ValueText(n.Value))
	line("Deadline", c.formatDeadline(n.Deadline, card.DaysLeft))
	line("Published", c.formatDate(n.Published))
	line("About", truncate(n.Description, descriptionPreview))
	line("Link", n.URL)
	if len(card.Reasons) > 0 {
		line("Why", strings.Join(card.Reasons, "; "))
	}
	line("Profile", card.Profile)
	if len(card.Actions) > 0 {
		line("Ref", card.Ref+"  (`follow "+card.Ref+"` to follow it)")
	}
	return sb.String()
}

func (c *Console) formatDeadline(t time.Time, daysLeft int) string {
	if t.IsZero() {
		return "not stated"
	}
	s := t.In(c.location).Format("Mon 2 Jan 2006 15:04 MST")
	switch {
	case daysLeft < 0:
		return s + " (closed)"
	case daysLeft == 0:
		return s + " (closes within a day)"
	case daysLeft == 1:
		return s + " (1 day left)"
	}
	return fmt.Sprintf("%s (%d days left)", s, daysLeft)
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
