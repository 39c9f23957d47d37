package codec

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// A notice's card is stored once per notice version, and every alert and
// digest item that shows it references it by id. Such a row keeps in its
// message (or card) column only its recipient's part, and its card is the
// stored one For its profile (bot.Card.For): what a person sees is fixed
// when the row is written, as for an inline message.

// RecipientPart is what a row that references a card keeps of its message:
// the profile that matched and why, the names of the profiles an alert
// names when they are more than that one, whom it calls in the channel,
// and the text before the card
// only when it is not the alert's own (bot.AlertMessage), which is rebuilt
// from the card and the names. A digest item has no text.
type RecipientPart struct {
	Text     *string       `json:"t,omitempty"`
	Language text.Language `json:"l,omitempty"` // of the message; "" is English
	Profile  string        `json:"p,omitempty"`
	Reasons  []string      `json:"r,omitempty"`
	Names    []string      `json:"n,omitempty"`
	Mentions []bot.Mention `json:"m,omitempty"`
}

// MarshalJSON writes a part that is only a profile and its reasons — most
// of a fan-out's rows — as the array [profile, reasons], or [profile]
// without reasons: half the bytes of the object's field names, on every
// row. Any other part is the object.
func (p RecipientPart) MarshalJSON() ([]byte, error) {
	type object RecipientPart
	if p.Text != nil || p.Names != nil || p.Mentions != nil || p.Language != "" {
		return json.Marshal(object(p))
	}
	b := append(make([]byte, 0, 64), '[')
	b = appendJSONString(b, p.Profile)
	if p.Reasons != nil {
		b = append(b, ",["...)
		for i, r := range p.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, r)
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// appendJSONString appends s to b as a JSON string, as encoding/json
// writes one without its HTML escapes: a fan-out writes the short form on
// every row, and json.Marshal of a []any cost a third of encoding it.
// Bytes that are not UTF-8 become U+FFFD, as with encoding/json.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

// UnmarshalJSON reads either form MarshalJSON writes.
func (p *RecipientPart) UnmarshalJSON(b []byte) error {
	type object RecipientPart
	if len(b) == 0 || b[0] != '[' {
		return json.Unmarshal(b, (*object)(p))
	}
	var short []json.RawMessage
	if err := json.Unmarshal(b, &short); err != nil {
		return err
	}
	if len(short) == 0 || len(short) > 2 {
		return fmt.Errorf("a recipient's part of %d values", len(short))
	}
	*p = RecipientPart{}
	if err := json.Unmarshal(short[0], &p.Profile); err != nil {
		return err
	}
	if len(short) == 2 {
		return json.Unmarshal(short[1], &p.Reasons)
	}
	return nil
}

// PartOf returns what a row keeps of m, whose one card c is referenced.
func PartOf(m bot.Message, c bot.Card) RecipientPart {
	part := RecipientPart{Profile: c.Profile, Reasons: c.Reasons, Mentions: m.Mentions}
	if m.Language != text.English {
		part.Language = m.Language
	}
	for _, names := range [][]string{{c.Profile}, alertNames(m.Text)} {
		if names != nil && bot.AlertLine(text.For(m.Language), c.Notice.Kind, names) == m.Text {
			if len(names) > 1 {
				part.Names = names
			}
			return part
		}
	}
	part.Text = &m.Text
	return part
}

// alertNames reads the profile names an alert's text quotes, in any
// language, or nil when it quotes fewer than two. PartOf checks them by
// rebuilding the text.
func alertNames(line string) []string {
	var names []string
	for rest := line; ; {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			break
		}
		q, err := strconv.QuotedPrefix(rest[i:])
		if err != nil {
			return nil
		}
		name, _ := strconv.Unquote(q)
		names = append(names, name)
		rest = rest[i+len(q):]
	}
	if len(names) < 2 {
		return nil
	}
	return names
}

// text is the text before the card: kept, or the alert's own.
func (p RecipientPart) text(c bot.Card) string {
	if p.Text != nil {
		return *p.Text
	}
	names := p.Names
	if names == nil {
		names = []string{p.Profile}
	}
	return bot.AlertLine(text.For(p.Language), c.Notice.Kind, names)
}

// ReferencedCard returns the card of m when the row may reference shared
// instead of storing it: m is some text and one card about shared's notice,
// for profileID, with nothing else a part could not keep.
func ReferencedCard(m bot.Message, shared *bot.Card, profileID int64) (bot.Card, bool) {
	if shared == nil || len(m.Cards) != 1 || len(m.Actions) > 0 || m.Attachment != nil || m.ReplyTo != "" {
		return bot.Card{}, false
	}
	c := m.Cards[0]
	return c, c.Notice.ID == shared.Notice.ID && bot.AreCardActions(c.Actions, shared.Notice.ID, profileID)
}

// CardBody returns what is stored of a notice's shared card: everything
// but a recipient's profile, reasons and buttons.
func CardBody(shared bot.Card) (string, error) {
	shared.Profile, shared.Reasons, shared.Actions = "", nil, nil
	body, err := json.Marshal(shared)
	if err != nil {
		return "", fmt.Errorf("card of %s: %w", shared.Notice.ID, err)
	}
	return string(body), nil
}

// EncodeMessage returns what a row keeps of m: its recipient's part when
// the row references card c (referenced true), the whole message as JSON
// otherwise.
func EncodeMessage(m bot.Message, c bot.Card, referenced bool) (string, error) {
	if referenced {
		return encodePart(PartOf(m, c))
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// encodePart writes p as MarshalJSON does, without json.Marshal's second
// pass over what MarshalJSON wrote.
func encodePart(p RecipientPart) (string, error) {
	b, err := p.MarshalJSON()
	return string(b), err
}

// EncodeDigestCard returns what a digest item keeps of its card c: its
// recipient's part when it references the stored card, the whole card as
// JSON otherwise.
func EncodeDigestCard(c bot.Card, referenced bool) (string, error) {
	if referenced {
		return encodePart(RecipientPart{Profile: c.Profile, Reasons: c.Reasons})
	}
	b, err := json.Marshal(c)
	return string(b), err
}

// Cards reads referenced cards' bodies, each once per query however many
// rows show it.
type Cards map[int64]bot.Card

// card returns the stored card id For the row's profile and part; body is
// nil when the card is gone.
func (cc Cards) card(id int64, body *string, profileID int64, part RecipientPart) (bot.Card, error) {
	shared, ok := cc[id]
	if !ok {
		if body == nil {
			return bot.Card{}, fmt.Errorf("card %d is gone", id)
		}
		if err := json.Unmarshal([]byte(*body), &shared); err != nil {
			return bot.Card{}, fmt.Errorf("card %d: %w", id, err)
		}
		cc[id] = shared
	}
	return shared.For(profileID, part.Profile, part.Reasons), nil
}

// Message reads a row's message column: the whole message; or, when the
// row references a card (cardID not nil, body its stored text or nil when
// gone), its recipient's part around the stored card; or a digest's
// DigestPart around the cards it references, whose bodies cc holds.
func (cc Cards) Message(raw string, cardID *int64, body *string, profileID int64) (bot.Message, error) {
	if cardID == nil {
		if IsDigestPart(raw) {
			return cc.DigestMessage(raw)
		}
		var m bot.Message
		err := json.Unmarshal([]byte(raw), &m)
		return m, err
	}
	var part RecipientPart
	if err := json.Unmarshal([]byte(raw), &part); err != nil {
		return bot.Message{}, err
	}
	c, err := cc.card(*cardID, body, profileID, part)
	if err != nil {
		return bot.Message{}, err
	}
	return bot.Message{Text: part.text(c), Cards: []bot.Card{c}, Mentions: part.Mentions, Language: part.Language}, nil
}

// DigestCard reads a digest item's card column: the whole card, or, when
// the item references a card, its recipient's part of the stored card.
func (cc Cards) DigestCard(raw string, cardID *int64, body *string, profileID int64) (bot.Card, error) {
	if cardID == nil {
		var c bot.Card
		err := json.Unmarshal([]byte(raw), &c)
		return c, err
	}
	var part RecipientPart
	if err := json.Unmarshal([]byte(raw), &part); err != nil {
		return bot.Card{}, err
	}
	return cc.card(*cardID, body, profileID, part)
}
