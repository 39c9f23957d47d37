package bot

import (
	"net/url"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// card presents a notice with the labels of its codes, as of now, and the
// buttons that fit: profileID is the profile that matched, 0 for none.
func (b *Bot) card(n Notice, profileID int64, profile string, reasons []string) Card {
	return b.noticeCard(n).For(profileID, profile, reasons)
}

// For is the card c, a notice's card as everybody sees it, for one
// recipient: with the profile that matched (0 and "" for none), why, and
// the buttons for that profile.
func (c Card) For(profileID int64, profile string, reasons []string) Card {
	c.Profile, c.Reasons, c.Actions = profile, reasons, cardActions(c.Notice.ID, profileID)
	return c
}

// noticeCard is the card of a notice as every recipient sees it, as of
// now.
func (b *Bot) noticeCard(n Notice) Card { return NoticeCard(n, b.vocab, b.clock.Now()) }

// NoticeCard is the card of notice n as every recipient sees it at now:
// its codes with their labels from vocab (nil: codes only) and the days
// left; no profile, no reasons, and the buttons of no profile.
func NoticeCard(n Notice, vocab Vocabulary, now time.Time) Card {
	c := Card{Notice: n, Ref: NoticeRef(n.ID), Actions: cardActions(n.ID, 0)}
	for _, code := range n.CPV {
		c.CPV = append(c.CPV, codeName(vocab, code, Vocabulary.CPVLabel))
	}
	for _, code := range n.NUTS {
		c.Regions = append(c.Regions, codeName(vocab, code, Vocabulary.NUTSLabel))
	}
	if !n.Deadline.IsZero() {
		c.DaysLeft = daysLeft(now, n.Deadline)
	}
	return c
}

// codeName is a code with its labels in English and in Dutch, where vocab
// knows them; the Dutch one only where it differs.
func codeName(vocab Vocabulary, code string, lookup func(Vocabulary, string, string) string) CodeName {
	cn := CodeName{Code: code}
	if vocab != nil {
		cn.Label = lookup(vocab, code, string(text.English))
		if nl := lookup(vocab, code, string(text.Dutch)); nl != cn.Label {
			cn.Dutch = nl
		}
	}
	return cn
}

// The facts and notes of a card, as CardField.Key names them.
const (
	CardBuyer    = "buyer"
	CardKind     = "kind"
	CardCPV      = "cpv"
	CardRegion   = "region"
	CardValue    = "value"
	CardDeadline = "deadline"
	CardWhy      = "why"     // a note: why it matched
	CardProfile  = "profile" // a note: the profile that matched
	CardVia      = "via"     // a note: the partner's feed that brought it
)

// OpenNoticeLabel is the text of the button or link that opens a card's
// notice at its source, a message id to say with Printer.Text.
var OpenNoticeLabel = text.N("Open notice")

// CardField is one labelled fact or note of a card, worded once for every
// chat. Renderers style fields (a line, a Block Kit field, an embed field
// or footer) but neither word nor order them.
type CardField struct {
	Key   string // CardBuyer, CardKind, …
	Label string // "Buyer"; "" for a note that reads on its own ("via Twente Business Desk")
	Text  string
}

// IsNote reports whether the field is a note about the match (why, which
// profile, via whom) rather than a fact of the notice: chats show notes
// apart, in smaller print.
func (f CardField) IsNote() bool {
	return f.Key == CardWhy || f.Key == CardProfile || f.Key == CardVia
}

// Fields are the card's facts, then its notes, in the order every chat
// shows them; a fact or note with nothing to say is left out, except the
// value and the deadline, whose absence a business wants to know. when
// writes the deadline's moment as the chat shows it: in a time zone
// (LocalTime) or as a timestamp the reader's client localises.
func (c Card) Fields(p text.Printer, when func(time.Time) string) []CardField {
	n := c.Notice
	all := []CardField{
		{CardBuyer, p.Sprintf("Buyer"), strings.TrimSpace(n.Buyer)},
		{CardKind, p.Sprintf("Kind"), p.Text(n.Kind.Label())},
		{CardCPV, "CPV", CodesText(p, c.CPV)},
		{CardRegion, p.Sprintf("Region"), CodesText(p, c.Regions)},
		{CardValue, p.Sprintf("Value"), ValueText(p, n.Value)},
		{CardDeadline, p.Sprintf("Deadline"), c.DeadlineText(p, when)},
		{CardWhy, p.Sprintf("Why it matched"), p.Reasons(c.Reasons)},
		{CardProfile, p.Sprintf("Profile"), strings.TrimSpace(c.Profile)},
	}
	if via := strings.TrimSpace(c.Via); via != "" {
		all = append(all, CardField{CardVia, "", p.Sprintf("via %s", via)})
	}
	out := all[:0]
	for _, f := range all {
		if f.Text = StripBidi(f.Text); f.Text != "" {
			out = append(out, f)
		}
	}
	return out
}

// Title is the notice's title, or a stand-in when it has none.
func (c Card) Title(p text.Printer) string {
	if t := strings.TrimSpace(StripBidi(c.Notice.Title)); t != "" {
		return t
	}
	return p.Sprintf("Untitled notice")
}

// Description is the notice's description as a card shows it.
func (c Card) Description() string {
	return strings.TrimSpace(StripBidi(c.Notice.Description))
}

// StripBidi removes the bidirectional embedding, override and isolate
// controls (U+202A–U+202E, U+2066–U+2069) from text a feed supplied: they
// reorder what follows them, so a title can show its text backwards or
// make a link read as another. Marks that only hint direction stay.
func StripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// Link is the notice's URL when it is a web link (http or https), else "":
// a card links nowhere else, and chats refuse other links.
func (c Card) Link() string {
	u := strings.TrimSpace(c.Notice.URL)
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return ""
	}
	return u
}

// DeadlineText is the deadline as when writes it, followed by how long is
// left ("Fri 15 Jan 2027 12:00 CET (49 days left)"), or "not stated".
func (c Card) DeadlineText(p text.Printer, when func(time.Time) string) string {
	if c.Notice.Deadline.IsZero() {
		return p.Sprintf("not stated")
	}
	return when(c.Notice.Deadline) + " " + c.DaysLeftText(p)
}

// DaysLeftText says how long was left until the deadline when the card was
// made: "(49 days left)", "(closed)"; "" when the notice states no
// deadline.
func (c Card) DaysLeftText(p text.Printer) string {
	if c.Notice.Deadline.IsZero() {
		return ""
	}
	return p.DaysLeft(c.DaysLeft)
}

// LocalTime writes moments as people read them in loc, with the zone's
// abbreviation, in p's language: "Fri 15 Jan 2027 12:00 CET", "vr 15 jan
// 2027 12:00 CET".
func LocalTime(p text.Printer, loc *time.Location) func(time.Time) string { return p.LocalTime(loc) }
