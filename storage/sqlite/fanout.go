package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// insertDelivery adds a pending delivery; only a duplicate key is ignored
// (unlike INSERT OR IGNORE, which would also swallow a NOT NULL violation).
const insertDelivery = `
	INSERT INTO outbox (key, platform, workspace, user_id, channel_id, purpose, notice_id,
		profile_id, message, card_id, status, attempts, due_at, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
	ON CONFLICT (key) DO NOTHING`

// insertDigestItem adds a digest item; one the subscriber holds already for
// the notice is ignored.
const insertDigestItem = `
	INSERT INTO digest_items (platform, workspace, user_id, channel_id, mode, profile_id, notice_id,
		card, card_id, overflow, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`

// fanOut writes the deliveries and digest items of one transaction in
// bulk: each statement is prepared once, and the notice's shared card, if
// any, is stored once, the first time a row references it.
type fanOut struct {
	ctx        context.Context
	tx         *sql.Tx
	now        string
	made       time.Time // now, as a time
	shared     *bot.Card
	cardID     int64 // 0: the shared card is not stored yet
	deliveries *sql.Stmt
	items      *sql.Stmt
	alerts     []madeAlert // the alerts written, for the store to remember once committed
}

// newFanOut returns a writer on tx for rows made at now; shared is the
// notice's card that rows may reference, or nil.
func newFanOut(ctx context.Context, tx *sql.Tx, shared *bot.Card, now time.Time) *fanOut {
	return &fanOut{ctx: ctx, tx: tx, now: formatTime(now), made: now, shared: shared}
}

// close releases the prepared statements.
func (f *fanOut) close() {
	for _, st := range []*sql.Stmt{f.deliveries, f.items} {
		if st != nil {
			st.Close()
		}
	}
}

// prepare returns the statement *st, preparing q on the transaction the
// first time.
func (f *fanOut) prepare(st **sql.Stmt, q string) (*sql.Stmt, error) {
	if *st == nil {
		prepared, err := f.tx.PrepareContext(f.ctx, q)
		if err != nil {
			return nil, err
		}
		*st = prepared
	}
	return *st, nil
}

// sharedCardID stores the shared card the first time it is referenced.
func (f *fanOut) sharedCardID() (int64, error) {
	if f.cardID == 0 {
		id, err := insertCard(f.ctx, f.tx, *f.shared, f.made)
		if err != nil {
			return 0, err
		}
		f.cardID = id
	}
	return f.cardID, nil
}

// reference returns m's one card and the id of the stored shared card it
// references, storing that the first time; the id is nil when m is kept
// whole.
func (f *fanOut) reference(m bot.Message, profileID int64) (bot.Card, any, error) {
	c, ok := codec.ReferencedCard(m, f.shared, profileID)
	if !ok {
		return bot.Card{}, nil, nil
	}
	id, err := f.sharedCardID()
	return c, id, err
}

// encode returns what a row keeps of m, and the card it references (nil
// when m is kept whole).
func (f *fanOut) encode(m bot.Message, profileID int64) (string, any, error) {
	c, id, err := f.reference(m, profileID)
	if err != nil {
		return "", nil, err
	}
	msg, err := codec.EncodeMessage(m, c, id != nil)
	return msg, id, err
}

// enqueue adds d as pending unless a delivery with its key exists.
func (f *fanOut) enqueue(d bot.Delivery) error {
	if d.Key == "" {
		return errors.New("delivery has no key")
	}
	msg, cardID, err := f.encode(d.Message, d.ProfileID)
	if err != nil {
		return fmt.Errorf("enqueue %s: message: %w", d.Key, err)
	}
	due := f.now
	if !d.DueAt.IsZero() {
		due = formatTime(d.DueAt)
	}
	st, err := f.prepare(&f.deliveries, insertDelivery)
	var res sql.Result
	if err == nil {
		res, err = st.ExecContext(f.ctx, d.Key, d.To.Platform, d.To.Workspace, d.To.User, d.To.Channel,
			d.Purpose, d.NoticeID, d.ProfileID, msg, cardID, due, f.now)
	}
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", d.Key, err)
	}
	if n == 1 && d.Purpose == bot.PurposeAlert {
		f.alerts = append(f.alerts, madeAlert{to: d.To, at: f.made})
	}
	return nil
}

// hold adds a digest item unless the subscriber holds one for the notice.
func (f *fanOut) hold(it bot.DigestItem) error {
	c, cardID, err := f.reference(bot.Message{Cards: []bot.Card{it.Card}}, it.ProfileID)
	if err != nil {
		return err
	}
	if cardID == nil {
		c = it.Card
	}
	card, err := codec.EncodeDigestCard(c, cardID != nil)
	if err != nil {
		return err
	}
	st, err := f.prepare(&f.items, insertDigestItem)
	if err == nil {
		_, err = st.ExecContext(f.ctx, it.To.Platform, it.To.Workspace, it.To.User, it.To.Channel,
			it.Mode, it.ProfileID, it.NoticeID, card, cardID, it.Overflow, f.now)
	}
	if err != nil {
		return fmt.Errorf("hold %s for %s: %w", it.NoticeID, it.To.Key(), err)
	}
	return nil
}
