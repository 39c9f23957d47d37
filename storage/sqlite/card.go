package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// A notice's card is stored once per notice version, in cards, and every
// alert and digest item that shows it references it by card_id; what such
// a row keeps of its message is its recipient's part (codec.RecipientPart).

// insertCard stores the body of a notice's shared card and returns its id.
func insertCard(ctx context.Context, tx *sql.Tx, shared bot.Card, now time.Time) (int64, error) {
	body, err := codec.CardBody(shared)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO cards (notice_id, body, created_at) VALUES (?, ?, ?)`,
		shared.Notice.ID, body, formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("card of %s: %w", shared.Notice.ID, err)
	}
	return res.LastInsertId()
}

// cardCache reads referenced cards' bodies, each once per query however
// many rows show it.
type cardCache codec.Cards

// message reads a row's message column: the whole message, or, when the
// row references card id, its recipient's part around the stored card.
func (cc cardCache) message(raw string, cardID sql.NullInt64, body sql.NullString, profileID int64) (bot.Message, error) {
	return codec.Cards(cc).Message(raw, nullInt(cardID), nullString(body), profileID)
}

// digestCard reads a digest item's card column: the whole card, or, when
// the item references card id, its recipient's part of the stored card.
func (cc cardCache) digestCard(raw string, cardID sql.NullInt64, body sql.NullString, profileID int64) (bot.Card, error) {
	return codec.Cards(cc).DigestCard(raw, nullInt(cardID), nullString(body), profileID)
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}
