package codec

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// A digest shows cards of several notices, each one a digest item's card:
// a stored card For the item's profile. A digest delivery whose every card
// is such a card keeps, in its message column, its text and, for each
// card, the stored card's id and its recipient's part (DigestPart); its
// own card_id stays empty. A morning of 100,000 digests wrote the same
// cards a hundred thousand times.

// digestPrefix starts every DigestPart's JSON, and no whole message's:
// those start with a field of bot.Message.
const digestPrefix = `{"d":`

// DigestPart is what a digest delivery keeps when it references its
// cards.
type DigestPart struct {
	Cards    []DigestCard  `json:"d"`
	Text     string        `json:"t,omitempty"`
	Language text.Language `json:"l,omitempty"` // of the digest; "" is English
}

// DigestCard is one card of a DigestPart: the stored card, the profile it
// is For, and the recipient's part.
type DigestCard struct {
	Card      int64    `json:"c"`
	ProfileID int64    `json:"i,omitempty"`
	Profile   string   `json:"p,omitempty"`
	Reasons   []string `json:"r,omitempty"`
}

// IsDigestPart reports whether a message column holds a DigestPart.
func IsDigestPart(raw string) bool { return strings.HasPrefix(raw, digestPrefix) }

// HeldCard is what a digest item's row says of its card: the notice, the
// stored card it references (0: none, the card is inline), and the profile.
type HeldCard struct {
	NoticeID  string
	Card      int64
	ProfileID int64
}

// DigestPartOf returns what a digest delivery keeps of m when each of its
// cards is the card of one of held, a stored one, For that item's
// profile; ok is false, and m is kept whole, otherwise. cc holds the
// stored cards' bodies by id.
func (cc Cards) DigestPartOf(m bot.Message, held map[string]HeldCard) (DigestPart, bool) {
	if len(m.Cards) == 0 || len(m.Actions) > 0 || m.Attachment != nil || m.ReplyTo != "" || len(m.Mentions) > 0 {
		return DigestPart{}, false
	}
	part := DigestPart{Text: m.Text, Cards: make([]DigestCard, len(m.Cards))}
	if m.Language != text.English {
		part.Language = m.Language
	}
	for i, c := range m.Cards {
		h, ok := held[c.Notice.ID]
		shared, stored := cc[h.Card]
		if !ok || h.Card == 0 || !stored || !reflect.DeepEqual(c, shared.For(h.ProfileID, c.Profile, c.Reasons)) {
			return DigestPart{}, false
		}
		part.Cards[i] = DigestCard{Card: h.Card, ProfileID: h.ProfileID, Profile: c.Profile, Reasons: c.Reasons}
	}
	return part, true
}

// EncodeDigestPart returns the JSON of part.
func EncodeDigestPart(part DigestPart) (string, error) {
	b, err := json.Marshal(part)
	return string(b), err
}

// AddBodies reads stored cards' bodies, given as a JSON array of [id,
// body] pairs, into cc.
func (cc Cards) AddBodies(pairs string) error {
	var list [][2]json.RawMessage
	if err := json.Unmarshal([]byte(pairs), &list); err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	for _, pair := range list {
		var id int64
		if err := json.Unmarshal(pair[0], &id); err != nil {
			return fmt.Errorf("cards: %w", err)
		}
		if _, ok := cc[id]; ok {
			continue
		}
		var c bot.Card
		if err := json.Unmarshal(pair[1], &c); err != nil {
			return fmt.Errorf("card %d: %w", id, err)
		}
		cc[id] = c
	}
	return nil
}

// DigestMessage reads a DigestPart around the stored cards it references,
// whose bodies cc holds.
func (cc Cards) DigestMessage(raw string) (bot.Message, error) {
	var part DigestPart
	if err := json.Unmarshal([]byte(raw), &part); err != nil {
		return bot.Message{}, err
	}
	if len(part.Cards) == 0 {
		return bot.Message{}, errors.New("a digest without cards")
	}
	m := bot.Message{Text: part.Text, Cards: make([]bot.Card, len(part.Cards)), Language: part.Language}
	for i, ref := range part.Cards {
		c, err := cc.card(ref.Card, nil, ref.ProfileID, RecipientPart{Profile: ref.Profile, Reasons: ref.Reasons})
		if err != nil {
			return bot.Message{}, err
		}
		m.Cards[i] = c
	}
	return m, nil
}
