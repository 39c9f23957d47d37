package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// A notice's card is stored once per notice version, in cards, and every
// alert and digest item that shows it references it by card_id. Such a row
// keeps in its message (or card) column only its recipient's part, and its
// card is the stored one For its profile_id (bot.Card.For): what a person
// sees is fixed when the row is written, as for an inline message.

// recipientPart is what a row that references a card keeps of its message:
// the profile that matched and why, the names of the profiles an alert
// names when they are more than that one, and the text before the card
// only when it is not the alert's own (bot.AlertMessage), which is rebuilt
// from the card and the names. A digest item has no text.
type recipientPart struct {
	Text     *string       `json:"t,omitempty"`
	Profile  string        `json:"p,omitempty"`
	Reasons  []string      `json:"r,omitempty"`
	Names    []string      `json:"n,omitempty"`
	Mentions []bot.Mention `json:"m,omitempty"`
}

// partOf returns what a row keeps of m, whose one card c is referenced.
func partOf(m bot.Message, c bot.Card) recipientPart {
	part := recipientPart{Profile: c.Profile, Reasons: c.Reasons, Mentions: m.Mentions}
	for _, names := range [][]string{{c.Profile}, alertNames(m.Text)} {
		if names != nil && bot.AlertMessage(c, names).Text == m.Text {
			if len(names) > 1 {
				part.Names = names
			}
			return part
		}
	}
	part.Text = &m.Text
	return part
}

// alertNames reads the profile names an alert's text quotes, or nil.
func alertNames(text string) []string {
	_, quoted, ok := strings.Cut(text, " for your profiles ")
	if !ok {
		return nil
	}
	var names []string
	for rest := strings.TrimSuffix(quoted, ":"); rest != ""; {
		name, after, err := unquotePrefix(rest)
		if err != nil {
			return nil
		}
		names = append(names, name)
		rest = strings.TrimPrefix(strings.TrimPrefix(after, ", "), " and ")
	}
	return names
}

// unquotePrefix reads the Go-quoted string s starts with.
func unquotePrefix(s string) (value, rest string, err error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", err
	}
	value, err = strconv.Unquote(q)
	return value, s[len(q):], err
}

// text is the text before the card: kept, or the alert's own.
func (p recipientPart) text(c bot.Card) string {
	if p.Text != nil {
		return *p.Text
	}
	names := p.Names
	if names == nil {
		names = []string{p.Profile}
	}
	return bot.AlertMessage(c, names).Text
}

// referencedCard returns the card of m when the row may reference shared
// instead of storing it: m is some text and one card about shared's notice,
// for profileID, with nothing else a part could not keep.
func referencedCard(m bot.Message, shared *bot.Card, profileID int64) (bot.Card, bool) {
	if shared == nil || len(m.Cards) != 1 || len(m.Actions) > 0 || m.Attachment != nil || m.ReplyTo != "" {
		return bot.Card{}, false
	}
	c := m.Cards[0]
	return c, c.Notice.ID == shared.Notice.ID && sameActions(c.Actions, shared.For(profileID, "", nil).Actions)
}

// sameActions reports whether a and b are the same buttons in the same
// order.
func sameActions(a, b []bot.Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// insertCard stores the body of a notice's shared card and returns its id.
func insertCard(ctx context.Context, tx *sql.Tx, shared bot.Card, now time.Time) (int64, error) {
	shared.Profile, shared.Reasons, shared.Actions = "", nil, nil
	body, err := json.Marshal(shared)
	if err != nil {
		return 0, fmt.Errorf("card of %s: %w", shared.Notice.ID, err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO cards (notice_id, body, created_at) VALUES (?, ?, ?)`,
		shared.Notice.ID, string(body), formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("card of %s: %w", shared.Notice.ID, err)
	}
	return res.LastInsertId()
}

// cardCache reads referenced cards' bodies, each once per query however
// many rows show it.
type cardCache map[int64]bot.Card

// card returns the stored card id For the row's profile and part.
func (cc cardCache) card(id int64, body sql.NullString, profileID int64, part recipientPart) (bot.Card, error) {
	shared, ok := cc[id]
	if !ok {
		if !body.Valid {
			return bot.Card{}, fmt.Errorf("card %d is gone", id)
		}
		if err := json.Unmarshal([]byte(body.String), &shared); err != nil {
			return bot.Card{}, fmt.Errorf("card %d: %w", id, err)
		}
		cc[id] = shared
	}
	return shared.For(profileID, part.Profile, part.Reasons), nil
}

// message reads a row's message column: the whole message, or, when the
// row references card id, its recipient's part around the stored card.
func (cc cardCache) message(raw string, cardID sql.NullInt64, body sql.NullString, profileID int64) (bot.Message, error) {
	if !cardID.Valid {
		var m bot.Message
		err := json.Unmarshal([]byte(raw), &m)
		return m, err
	}
	var part recipientPart
	if err := json.Unmarshal([]byte(raw), &part); err != nil {
		return bot.Message{}, err
	}
	c, err := cc.card(cardID.Int64, body, profileID, part)
	if err != nil {
		return bot.Message{}, err
	}
	return bot.Message{Text: part.text(c), Cards: []bot.Card{c}, Mentions: part.Mentions}, nil
}

// digestCard reads a digest item's card column: the whole card, or, when
// the item references card id, its recipient's part of the stored card.
func (cc cardCache) digestCard(raw string, cardID sql.NullInt64, body sql.NullString, profileID int64) (bot.Card, error) {
	if !cardID.Valid {
		var c bot.Card
		err := json.Unmarshal([]byte(raw), &c)
		return c, err
	}
	var part recipientPart
	if err := json.Unmarshal([]byte(raw), &part); err != nil {
		return bot.Card{}, err
	}
	return cc.card(cardID.Int64, body, profileID, part)
}
