package discord

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Discord's message limits, and the length of a notice's description shown
// in its embed.
const (
	maxContent         = 2000
	maxEmbeds          = 10
	maxRows            = 5
	maxEmbedChars      = 6000
	maxTitle           = 256
	maxFieldValue      = 1024
	maxFooter          = 2048
	maxCustomID        = 100
	maxButtonURL       = 512
	maxRowButtons      = 5
	maxCardButtons     = 4 // and the link to the notice: 5 to a row
	descriptionPreview = 300
)

// Embed colours by notice kind.
var kindColors = map[bot.Kind]int{
	bot.KindEarly:  0x2ECC71, // green: there is still time to shape it
	bot.KindTender: 0x5865F2, // blurple
	bot.KindAward:  0x95A5A6, // grey: it is over
	bot.KindChange: 0xE67E22, // orange: something moved
}

// outgoing is one Discord message as rendered.
type outgoing struct {
	content string
	embeds  []*discordgo.MessageEmbed
	rows    []discordgo.MessageComponent
	file    *bot.Attachment // sent along, on the first message only
	// allowed are the mentions that may notify; nil: none (noMentions).
	allowed *discordgo.MessageAllowedMentions
}

// allowedMentions are the mentions the message may notify.
func (o outgoing) allowedMentions() *discordgo.MessageAllowedMentions {
	if o.allowed == nil {
		return noMentions
	}
	return o.allowed
}

// files are the message's files, read afresh for every attempt to send.
func (o outgoing) files() []*discordgo.File {
	if o.file == nil {
		return nil
	}
	return []*discordgo.File{{Name: o.file.Name, ContentType: o.file.ContentType, Reader: bytes.NewReader(o.file.Data)}}
}

// noMentions keeps notice texts from pinging anyone.
var noMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// render turns a core message into Discord messages: its text, split at
// line ends when it is longer than Discord allows, with the message's own
// buttons and lead (the rows of a form's buttons, say) under it, then one
// embed per card with a row of its buttons. A message holds at most 5
// rows, 10 embeds and 6000 characters of embeds, so many cards take several
// messages. When there is more than one card, cards and their buttons are
// numbered so a row can be told apart from the next. An attachment goes
// with the first message.
func render(m bot.Message, lead []discordgo.MessageComponent) []outgoing {
	var msgs []outgoing
	for _, part := range splitText(m.Text, maxContent) {
		msgs = append(msgs, outgoing{content: part})
	}
	if len(msgs) == 0 {
		msgs = append(msgs, outgoing{})
	}
	msgs[0].file = m.Attachment
	last := len(msgs) - 1
	p := m.Printer()
	if row, ok := actionRow(p, m.Actions); ok {
		msgs[last].rows = append(msgs[last].rows, row)
	}
	msgs[last].rows = append(msgs[last].rows, lead...)
	seen := customIDs(lead)
	chars := 0
	for i, c := range m.Cards {
		number := 0
		if len(m.Cards) > 1 {
			number = i + 1
		}
		e := cardEmbed(p, c, number)
		size := embedChars(e)
		cur := &msgs[last]
		if len(cur.embeds) == maxEmbeds || chars+size > maxEmbedChars || len(cur.rows) == maxRows {
			msgs = append(msgs, outgoing{})
			last++
			cur, chars, seen = &msgs[last], 0, map[string]bool{}
		}
		cur.embeds = append(cur.embeds, e)
		chars += size
		if row, ok := cardRow(p, c, number, seen); ok {
			cur.rows = append(cur.rows, row)
		}
	}
	if msgs[0].content == "" && len(msgs[0].embeds) == 0 && msgs[0].file == nil {
		msgs[0].content = "…" // Discord refuses a message with neither
	}
	if calls, allowed := calling(m.Mentions); calls != "" {
		msgs[0].content, msgs[0].allowed = calls+" "+msgs[0].content, allowed
	}
	return msgs
}

// cardEmbed shows a notice: its title linking to it, what it is about,
// the core's facts as fields (short ones side by side) and its notes, but
// for why it matched, in the footer with the ref.
func cardEmbed(p text.Printer, c bot.Card, number int) *discordgo.MessageEmbed {
	n := c.Notice
	title := c.Title(p)
	if number > 0 {
		title = fmt.Sprintf("%d. %s", number, title)
	}
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       truncate(escapeMarkdown(title), maxTitle),
		URL:         c.Link(),
		Description: truncate(escapeMarkdown(c.Description()), descriptionPreview),
		Color:       kindColors[n.Kind],
	}
	if !n.Published.IsZero() {
		e.Timestamp = n.Published.UTC().Format(time.RFC3339)
	}
	var footer []string
	for _, f := range c.Fields(p, timestamp) {
		switch {
		case f.Key == bot.CardProfile || f.Key == bot.CardVia:
			note := f.Text
			if f.Label != "" {
				note = f.Label + ": " + f.Text
			}
			footer = append(footer, note)
		default:
			inline := f.Key != bot.CardCPV && f.Key != bot.CardRegion && f.Key != bot.CardWhy
			value := f.Text
			if f.Key != bot.CardDeadline { // the deadline is ours: a timestamp
				value = escapeMarkdown(value)
			}
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: f.Label, Value: truncate(value, maxFieldValue), Inline: inline})
		}
	}
	if c.Ref != "" {
		footer = append(footer, p.Sprintf("Ref %s", c.Ref))
	}
	if len(footer) > 0 {
		e.Footer = &discordgo.MessageEmbedFooter{Text: truncate(strings.Join(footer, " · "), maxFooter)}
	}
	return e
}

// markdownChars are the characters Discord reads as markup anywhere in a
// line: emphasis, code, spoilers, masked links, and the backslash itself.
const markdownChars = "\\*_~`|[]"

// lineMarkers are the characters Discord reads as markup at a line's
// start: quotes, headings, lists.
const lineMarkers = ">#-"

// escapeMarkdown escapes what Discord would render as markup in text a feed
// supplied, so a title reads as written instead of as a masked link, a
// spoiler or a heading.
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	lineStart := true
	for _, r := range s {
		switch {
		case strings.ContainsRune(markdownChars, r), lineStart && strings.ContainsRune(lineMarkers, r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == '\n' {
			lineStart = true
		} else if r != ' ' && r != '\t' {
			lineStart = false
		}
	}
	return b.String()
}

// timestamp writes a moment as a Discord timestamp, which each reader's
// client shows in their own time zone.
func timestamp(t time.Time) string { return fmt.Sprintf("<t:%d:f>", t.Unix()) }

// cardRow is a card's row of buttons: its actions, each carrying its
// action id, and a link to the notice. Ids already in the message (seen)
// are left out, since Discord refuses repeats.
func cardRow(p text.Printer, c bot.Card, number int, seen map[string]bool) (discordgo.ActionsRow, bool) {
	var buttons []discordgo.MessageComponent
	for _, a := range c.Actions {
		id := a.String()
		if len(buttons) == maxCardButtons || len(id) > maxCustomID || seen[id] {
			continue
		}
		seen[id] = true
		style := discordgo.SecondaryButton
		if a.Kind == bot.ActionFollow {
			style = discordgo.PrimaryButton
		}
		buttons = append(buttons, discordgo.Button{Label: numbered(p.Text(a.Kind.Label()), number), Style: style, CustomID: id})
	}
	if u := c.Link(); u != "" && len(u) <= maxButtonURL {
		buttons = append(buttons, discordgo.Button{Label: numbered(p.Text(bot.OpenNoticeLabel), number), Style: discordgo.LinkButton, URL: u})
	}
	return discordgo.ActionsRow{Components: buttons}, len(buttons) > 0
}

// actionRow is a row of the buttons that belong to a message rather than
// to a card, such as a confirmation.
func actionRow(p text.Printer, actions []bot.Action) (discordgo.ActionsRow, bool) {
	var buttons []discordgo.MessageComponent
	for _, a := range actions {
		id := a.String()
		if len(buttons) == maxRowButtons || len(id) > maxCustomID {
			continue
		}
		style := discordgo.PrimaryButton
		if a.Kind == bot.ActionForget {
			style = discordgo.DangerButton
		}
		buttons = append(buttons, discordgo.Button{Label: p.Text(a.Kind.Label()), Style: style, CustomID: id})
	}
	return discordgo.ActionsRow{Components: buttons}, len(buttons) > 0
}

func numbered(label string, number int) string {
	if number == 0 {
		return label
	}
	return fmt.Sprintf("%s (%d)", label, number)
}

// customIDs collects the custom ids of the buttons in rows.
func customIDs(rows []discordgo.MessageComponent) map[string]bool {
	ids := map[string]bool{}
	for _, r := range rows {
		if row, ok := r.(discordgo.ActionsRow); ok {
			for _, c := range row.Components {
				if b, ok := c.(discordgo.Button); ok && b.CustomID != "" {
					ids[b.CustomID] = true
				}
			}
		}
	}
	return ids
}

// embedChars counts what Discord counts towards an embed's 6000.
func embedChars(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

// splitText cuts text into pieces of at most limit characters, at line
// ends where it can.
func splitText(text string, limit int) []string {
	text = strings.TrimRight(text, "\n")
	var parts []string
	for text != "" {
		if utf8.RuneCountInString(text) <= limit {
			parts = append(parts, text)
			break
		}
		cut := runeOffset(text, limit)
		if i := strings.LastIndexByte(text[:cut], '\n'); i > 0 {
			cut = i
		}
		parts = append(parts, text[:cut])
		text = strings.TrimLeft(text[cut:], "\n")
	}
	return parts
}

// runeOffset is the byte offset of the n-th rune of s.
func runeOffset(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// truncate shortens s to at most n runes, ending it with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
