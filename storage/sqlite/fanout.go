package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// rowsPerInsert is how many rows one INSERT of a fan-out writes: a
// statement's cost in the driver (binding, a goroutine watching the
// context, the step) is paid once for them all. 64 rows of 12 values stay
// far below SQLite's 32,766 parameters.
const rowsPerInsert = 64

// bulkInsert is an INSERT of many rows: head, then one values tuple a row,
// then tail.
type bulkInsert struct {
	head, values, tail string
	width              int // parameters a row
}

// deliveryInsert adds pending deliveries, skipping duplicate keys. It
// returns no rows (RETURNING costs a tenth of the insert): the rows it
// adds take consecutive ids, the outbox's id being AUTOINCREMENT, so the
// last insert id and the number of rows affected say which they are.
var deliveryInsert = bulkInsert{
	head: `INSERT INTO outbox (key, platform, workspace, user_id, channel_id, purpose, notice_id,
		profile_id, message, card_id, status, attempts, due_at, created_at) VALUES `,
	values: `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
	tail:   ` ON CONFLICT (key) DO NOTHING`,
	width:  12,
}

// digestInsert adds digest items, skipping a notice the subscriber holds
// already.
var digestInsert = bulkInsert{
	head: `INSERT INTO digest_items (platform, workspace, user_id, channel_id, mode, profile_id, notice_id,
		card, card_id, overflow, created_at) VALUES `,
	values: `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	tail:   ` ON CONFLICT DO NOTHING`,
	width:  11,
}

// sql returns the statement for rows rows.
func (b bulkInsert) sql(rows int) string {
	var q strings.Builder
	q.WriteString(b.head)
	for i := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(b.values)
	}
	q.WriteString(b.tail)
	return q.String()
}

// fanOut writes the deliveries and digest items of one transaction in
// bulk: rows are gathered and written rowsPerInsert to a statement, each
// statement prepared once, and the notice's shared card, if any, is stored
// once, the first time a row references it. Nothing is written for sure
// before finish.
type fanOut struct {
	ctx      context.Context
	tx       *sql.Tx
	now      string
	made     time.Time // now, as a time
	shared   *bot.Card
	cardID   int64           // 0: the shared card is not stored yet
	bulk     *bulkStatements // prepared at open; nil: prepared here
	prepared map[preparedKey]*sql.Stmt
	// deliveries and items are the rows gathered and not yet written: the
	// values of each, in the statement's order.
	deliveries, items []any
	pending           map[string]bot.Subscriber // the alerts gathered, by key
	alerts            []madeAlert               // the alerts written, for the store to remember once committed
	// chunk, when above 0, is how many rows this transaction writes; the
	// rows past it are kept (kept.go) for ContinueFanOuts, under notice.
	notice      string
	chunk, rows int
	kept        keptRows
}

// preparedKey names a statement a fanOut prepared: its insert's head and
// how many rows it writes.
type preparedKey struct {
	head string
	rows int
}

// newFanOut returns a writer on tx for rows made at now; shared is the
// notice's card that rows may reference, or nil.
func newFanOut(ctx context.Context, tx *sql.Tx, shared *bot.Card, now time.Time) *fanOut {
	return &fanOut{ctx: ctx, tx: tx, now: formatTime(now), made: now, shared: shared,
		prepared: map[preparedKey]*sql.Stmt{}, pending: map[string]bot.Subscriber{}}
}

// madeAt is when f's rows are made.
func (f *fanOut) madeAt() madeAt { return madeAt{f.made, f.now} }

// close releases the prepared statements.
func (f *fanOut) close() {
	for _, st := range f.prepared {
		st.Close()
	}
}

// insert returns the insert of rows rows of kind: ready, the statement
// prepared at open, taken into the transaction; otherwise prepared on the
// transaction the first time.
func (f *fanOut) insert(kind bulkInsert, rows int, ready *sql.Stmt) (*sql.Stmt, error) {
	key := preparedKey{kind.head, rows}
	st, ok := f.prepared[key]
	if ok {
		return st, nil
	}
	if ready != nil {
		st = f.tx.StmtContext(f.ctx, ready)
	} else {
		var err error
		if st, err = f.tx.PrepareContext(f.ctx, kind.sql(rows)); err != nil {
			return nil, err
		}
	}
	f.prepared[key] = st
	return st, nil
}

// finish writes the rows still gathered, and keeps those past the chunk,
// and returns the alerts written.
func (f *fanOut) finish() ([]madeAlert, error) {
	if err := f.writeDeliveries(); err != nil {
		return nil, err
	}
	if err := f.writeItems(); err != nil {
		return nil, err
	}
	if err := f.keep(); err != nil {
		return nil, fmt.Errorf("keep the rest of the fan-out: %w", err)
	}
	return f.alerts, nil
}

// writeDeliveries writes the deliveries gathered, noting the alerts among
// them that were new.
func (f *fanOut) writeDeliveries() error {
	rows := len(f.deliveries) / deliveryInsert.width
	if rows == 0 {
		return nil
	}
	st, err := f.insert(deliveryInsert, rows, f.bulk.delivery(rows))
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	res, err := st.ExecContext(f.ctx, f.deliveries...)
	if err != nil {
		return fmt.Errorf("enqueue %d deliveries: %w", rows, err)
	}
	if err := f.noteAdded(res, rows); err != nil {
		return fmt.Errorf("enqueue %d deliveries: %w", rows, err)
	}
	f.deliveries = f.deliveries[:0]
	clear(f.pending)
	return nil
}

// noteAdded notes as made the alerts gathered that the insert res of rows
// rows added. When it added every row, that is all of them; otherwise a
// key was there already, and the ids the insert gave, consecutive and
// ending at the last insert id, say which keys are new.
func (f *fanOut) noteAdded(res sql.Result, rows int) error {
	added, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if added == int64(rows) {
		for _, to := range f.pending {
			f.alerts = append(f.alerts, madeAlert{to: to, at: f.made})
		}
		return nil
	}
	if added == 0 {
		return nil
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	keys, err := f.tx.QueryContext(f.ctx, `SELECT key FROM outbox WHERE id > ? AND id <= ?`, last-added, last)
	if err != nil {
		return err
	}
	defer keys.Close()
	for keys.Next() {
		var key string
		if err := keys.Scan(&key); err != nil {
			return err
		}
		if to, ok := f.pending[key]; ok {
			f.alerts = append(f.alerts, madeAlert{to: to, at: f.made})
		}
	}
	return keys.Err()
}

// writeItems writes the digest items gathered.
func (f *fanOut) writeItems() error {
	rows := len(f.items) / digestInsert.width
	if rows == 0 {
		return nil
	}
	st, err := f.insert(digestInsert, rows, f.bulk.item(rows))
	if err == nil {
		_, err = st.ExecContext(f.ctx, f.items...)
	}
	if err != nil {
		return fmt.Errorf("hold %d digest items: %w", rows, err)
	}
	f.items = f.items[:0]
	return nil
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

// fanOutRow is one row of a fan-out, its values made before it is written
// (encodeDelivery, encodeItem), so that they can be made off the writer.
type fanOutRow struct {
	values []any // in its statement's order (deliveryInsert, digestInsert)
	item   bool  // a digest item's; otherwise a delivery's
	// shared: it references the notice's shared card, whose id its values
	// get when it is written (the card is stored then, the first time).
	shared bool
}

// The place of the card id among a row's values.
const (
	deliveryCardColumn = 9
	itemCardColumn     = 8
)

// madeAt is when a fan-out's rows are made, and that time as stored.
type madeAt struct {
	at   time.Time
	text string // formatTime(at)
}

// encodeDelivery makes d's row as made at now, referencing shared, the
// notice's card, when d's message is its alert.
func encodeDelivery(d bot.Delivery, shared *bot.Card, now madeAt) (fanOutRow, error) {
	if d.Key == "" {
		return fanOutRow{}, errors.New("delivery has no key")
	}
	c, referenced := codec.ReferencedCard(d.Message, shared, d.ProfileID)
	msg, err := codec.EncodeMessage(d.Message, c, referenced)
	if err != nil {
		return fanOutRow{}, fmt.Errorf("enqueue %s: message: %w", d.Key, err)
	}
	return fanOutRow{values: deliveryValues(d, msg, nil, now), shared: referenced}, nil
}

// deliveryValues are d's row's values as made at now, its message encoded
// as msg and referencing the stored card cardID (nil: none).
func deliveryValues(d bot.Delivery, msg string, cardID any, now madeAt) []any {
	due := "" // due when made (dueAt)
	if !d.DueAt.IsZero() && !d.DueAt.Equal(now.at) {
		if due = formatTime(d.DueAt); due == now.text {
			due = ""
		}
	}
	return []any{d.Key, string(d.To.Platform), d.To.Workspace, d.To.User, d.To.Channel,
		string(d.Purpose), d.NoticeID, d.ProfileID, msg, cardID, due, now.text}
}

// encodeItem makes it's row as made at now, referencing shared, the
// notice's card, when its card is that one for its profile.
func encodeItem(it bot.DigestItem, shared *bot.Card, now madeAt) (fanOutRow, error) {
	c, referenced := codec.ReferencedCard(bot.Message{Cards: []bot.Card{it.Card}}, shared, it.ProfileID)
	if !referenced {
		c = it.Card
	}
	card, err := codec.EncodeDigestCard(c, referenced)
	if err != nil {
		return fanOutRow{}, fmt.Errorf("hold %s for %s: %w", it.NoticeID, it.To.Key(), err)
	}
	return fanOutRow{values: []any{it.To.Platform, it.To.Workspace, it.To.User, it.To.Channel,
		it.Mode, it.ProfileID, it.NoticeID, card, nil, it.Overflow, now.text}, item: true, shared: referenced}, nil
}

// write adds an encoded row, storing the shared card first if it
// references it and it is not stored yet.
func (f *fanOut) write(r fanOutRow) error {
	if r.shared {
		id, err := f.sharedCardID()
		if err != nil {
			return err
		}
		column := deliveryCardColumn
		if r.item {
			column = itemCardColumn
		}
		r.values[column] = id
	}
	if r.item {
		return f.holdRow(r.values)
	}
	return f.addRow(r.values)
}

// enqueue adds d as pending unless a delivery with its key exists.
func (f *fanOut) enqueue(d bot.Delivery) error {
	r, err := encodeDelivery(d, f.shared, f.madeAt())
	if err != nil {
		return err
	}
	return f.write(r)
}

// add adds d as pending, its message encoded as msg and referencing no
// stored card, unless a delivery with its key exists.
func (f *fanOut) add(d bot.Delivery, msg string) error {
	return f.addRow(deliveryValues(d, msg, nil, f.madeAt()))
}

// addRow adds the values of a delivery's row (deliveryInsert: its key,
// subscriber and purpose first, as strings), or keeps them past the chunk.
func (f *fanOut) addRow(row []any) error {
	if f.over() {
		f.kept.Deliveries = append(f.kept.Deliveries, row)
		return nil
	}
	f.deliveries = append(f.deliveries, row...)
	key := row[0].(string)
	if _, twice := f.pending[key]; row[5] == string(bot.PurposeAlert) && !twice {
		// A key twice in one statement is added once, the first time.
		f.pending[key] = bot.Subscriber{Platform: bot.Platform(row[1].(string)), Workspace: row[2].(string), User: row[3].(string), Channel: row[4].(string)}
	}
	if len(f.deliveries) == rowsPerInsert*deliveryInsert.width {
		return f.writeDeliveries()
	}
	return nil
}

// holdRow adds the values of a digest item's row (digestInsert), or keeps
// them past the chunk.
func (f *fanOut) holdRow(row []any) error {
	if f.over() {
		f.kept.Items = append(f.kept.Items, row)
		return nil
	}
	f.items = append(f.items, row...)
	if len(f.items) == rowsPerInsert*digestInsert.width {
		return f.writeItems()
	}
	return nil
}
