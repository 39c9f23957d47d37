package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// Enqueue stores d as pending and sets its ID, Status, Attempts and
// CreatedAt, and its DueAt to now when zero; it reports false, and changes
// neither the store nor d, when a delivery with d.Key exists.
func (s *Store) Enqueue(ctx context.Context, d *bot.Delivery) (bool, error) {
	ok, err := enqueue(ctx, s.writer, d, s.now())
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue %s: %w", d.Key, err)
	}
	if ok && d.Purpose == bot.PurposeAlert {
		s.recent.add([]madeAlert{{to: d.To, at: d.CreatedAt}})
	}
	return ok, nil
}

// enqueue is Enqueue on q, which is the writer pool or a transaction on it.
func enqueue(ctx context.Context, q querier, d *bot.Delivery, now time.Time) (bool, error) {
	if d.Key == "" {
		return false, errors.New("delivery has no key")
	}
	msg, err := json.Marshal(d.Message)
	if err != nil {
		return false, fmt.Errorf("message: %w", err)
	}
	due := d.DueAt.UTC()
	if d.DueAt.IsZero() {
		due = now
	}
	// RETURNING yields no row for a duplicate key.
	var id int64
	err = q.QueryRowContext(ctx, insertDelivery+` RETURNING id`, d.Key, d.To.Platform, d.To.Workspace, d.To.User, d.To.Channel,
		d.Purpose, d.NoticeID, d.ProfileID, string(msg), nil, formatTime(due), formatTime(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	d.ID, d.Status, d.Attempts, d.DueAt, d.CreatedAt = id, bot.StatusPending, 0, due, now
	return true, nil
}

// enqueueAll enqueues each of ds on tx, skipping those whose key exists,
// in bulk, and returns the alerts among them, for the store to remember
// once tx commits (recent.go). The caller's deliveries are left as they are.
func enqueueAll(ctx context.Context, tx *sql.Tx, ds []bot.Delivery, now time.Time) ([]madeAlert, error) {
	f := newFanOut(ctx, tx, nil, now)
	defer f.close()
	for _, d := range ds {
		if err := f.enqueue(d); err != nil {
			return nil, err
		}
	}
	return f.finish()
}

// HasDelivery reports whether a delivery with the given key exists, whatever
// its status.
func (s *Store) HasDelivery(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := s.reader.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ?)`, key).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("sqlite: has delivery %s: %w", key, err)
	}
	return ok, nil
}

// DueDeliveries returns up to limit pending deliveries for the given
// platforms due at or before now with an ID after after, in the order they
// were enqueued: a walk of the pending rows' index from after on. A
// conversation whose older delivery failed and waits for its retry gives
// nothing newer until it went out, so messages keep their order. No
// platforms, or a limit below 1, returns none.
func (s *Store) DueDeliveries(ctx context.Context, platforms []bot.Platform, now time.Time, after int64, limit int) ([]bot.Delivery, error) {
	if len(platforms) == 0 || limit <= 0 {
		return nil, nil
	}
	in, args := platformIn(platforms)
	stamp := formatTime(now)
	q := `
		SELECT ` + deliveryColumns + `
		FROM outbox AS o
		WHERE ` + sendable(in) + ` AND o.id > ? AND ` + dueAt + ` <= ?
		ORDER BY id
		LIMIT ?`
	rows, err := s.reader.QueryContext(ctx, q, append(args, stamp, after, stamp, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due deliveries: %w", err)
	}
	defer rows.Close()
	cards := cardCache{}
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, cards)
		if err != nil {
			return nil, fmt.Errorf("sqlite: due deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: due deliveries: %w", err)
	}
	return ds, nil
}

// sendable is the condition on outbox AS o of a pending delivery on one of
// the platforms (in: their placeholders) that no older delivery of its
// conversation holds back: one that failed and waits, at the time given by
// the placeholder that follows in, for its retry.
func sendable(in string) string {
	return `o.status = 'pending' AND o.platform IN (` + in + `)
		AND NOT EXISTS (
			SELECT 1 FROM outbox AS older
			WHERE older.status = 'pending' AND older.attempts > 0 AND older.due_at > ?
				AND older.platform = o.platform AND older.workspace = o.workspace
				AND older.user_id = o.user_id AND older.channel_id = o.channel_id
				AND older.id < o.id)`
}

// NextDue returns the earliest due time of a pending delivery for the given
// platforms, whether or not it has passed, among those DueDeliveries would
// return once due, judged at now; ok is false when there is none.
func (s *Store) NextDue(ctx context.Context, platforms []bot.Platform, now time.Time) (due time.Time, ok bool, err error) {
	if len(platforms) == 0 {
		return time.Time{}, false, nil
	}
	in, args := platformIn(platforms)
	q := `SELECT MIN(` + dueAt + `) FROM outbox AS o WHERE ` + sendable(in)
	var min sql.NullString
	if err := s.reader.QueryRowContext(ctx, q, append(args, formatTime(now))...).Scan(&min); err != nil {
		return time.Time{}, false, fmt.Errorf("sqlite: next due: %w", err)
	}
	if !min.Valid {
		return time.Time{}, false, nil
	}
	if due, err = parseTime(min.String); err != nil {
		return time.Time{}, false, fmt.Errorf("sqlite: next due: %w", err)
	}
	return due, true, nil
}

// platformIn returns the placeholders and arguments of an IN list of
// platforms; platforms must not be empty.
func platformIn(platforms []bot.Platform) (placeholders string, args []any) {
	args = make([]any, len(platforms))
	for i, p := range platforms {
		args[i] = string(p)
	}
	return strings.Repeat("?, ", len(platforms)-1) + "?", args
}

// MarkSending records that the deliveries are being handed to the
// platform, in one transaction, or returns ENOTFOUND and marks none.
func (s *Store) MarkSending(ctx context.Context, ids ...int64) error {
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE outbox SET status = 'sending' WHERE id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if err := updateOne(ctx, st, id, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: mark deliveries sending: %w", err)
	}
	return nil
}

// Record records what became of the deliveries taken to send, in one
// transaction, or returns ENOTFOUND and records none. A sent delivery keeps
// its key, status and platform message id; its message and card reference
// go, so that the outbox of a busy day does not keep every card it sent.
func (s *Store) Record(ctx context.Context, results []bot.DeliveryResult) error {
	queries := map[string]string{
		"sent":   `UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, message = '{}', card_id = NULL WHERE id = ?`,
		"retry":  `UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = ?, last_error = ? WHERE id = ?`,
		"back":   `UPDATE outbox SET status = 'pending' WHERE id = ?`,
		"failed": `UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?`,
	}
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		prepared := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range prepared {
				st.Close()
			}
		}()
		for _, r := range results {
			kind, args := resultUpdate(r, s.now())
			st := prepared[kind]
			if st == nil {
				var err error
				if st, err = tx.PrepareContext(ctx, queries[kind]); err != nil {
					return err
				}
				prepared[kind] = st
			}
			if err := updateOne(ctx, st, r.ID, append(args, r.ID)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: record deliveries: %w", err)
	}
	return nil
}

// resultUpdate names the update that records r, and its arguments before
// the delivery's id.
func resultUpdate(r bot.DeliveryResult, now time.Time) (string, []any) {
	kind, at := codec.ResultUpdate(r, now)
	switch kind {
	case codec.RecordSent:
		return kind, []any{formatTime(at), r.PlatformMessageID}
	case codec.RecordFailed:
		return kind, []any{r.Reason}
	case codec.RecordRetry:
		return kind, []any{formatTime(at), r.Reason}
	}
	return kind, nil
}

// updateOne runs st, an update of the delivery id, and reports ENOTFOUND
// when there is no such delivery.
func updateOne(ctx context.Context, st *sql.Stmt, id int64, args ...any) error {
	res, err := st.ExecContext(ctx, args...)
	if err == nil {
		err = affectOne(res)
	}
	return translate(err, text.N("there is no delivery %d"), id)
}

// Sending returns the deliveries left in the sending state, oldest first.
func (s *Store) Sending(ctx context.Context) ([]bot.Delivery, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM outbox WHERE status = 'sending' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sending deliveries: %w", err)
	}
	defer rows.Close()
	cards := cardCache{}
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, cards)
		if err != nil {
			return nil, fmt.Errorf("sqlite: sending deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// MarkSent records that delivery id was sent at at (now when zero), with the
// platform's id for the message, or returns ENOTFOUND.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time, platformMessageID string) error {
	if at.IsZero() {
		at = s.now()
	}
	const q = `UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, message = '{}', card_id = NULL WHERE id = ?`
	if err := s.updateDelivery(ctx, id, q, formatTime(at), platformMessageID, id); err != nil {
		return fmt.Errorf("sqlite: mark delivery %d sent: %w", id, err)
	}
	return nil
}

// Reschedule keeps delivery id pending, due again at due (now when zero),
// counting one more attempt and the reason it failed, or returns ENOTFOUND.
func (s *Store) Reschedule(ctx context.Context, id int64, due time.Time, reason string) error {
	if due.IsZero() {
		due = s.now()
	}
	const q = `
		UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = ?, last_error = ?
		WHERE id = ?`
	if err := s.updateDelivery(ctx, id, q, formatTime(due), reason, id); err != nil {
		return fmt.Errorf("sqlite: reschedule delivery %d: %w", id, err)
	}
	return nil
}

// MarkFailed records that delivery id can never be sent, and why, or returns
// ENOTFOUND.
func (s *Store) MarkFailed(ctx context.Context, id int64, reason string) error {
	const q = `UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?`
	if err := s.updateDelivery(ctx, id, q, reason, id); err != nil {
		return fmt.Errorf("sqlite: mark delivery %d failed: %w", id, err)
	}
	return nil
}

// updateDelivery runs q, an update of the delivery id, and reports
// ENOTFOUND when there is no such delivery.
func (s *Store) updateDelivery(ctx context.Context, id int64, q string, args ...any) error {
	res, err := s.writer.ExecContext(ctx, q, args...)
	if err == nil {
		err = affectOne(res)
	}
	return translate(err, text.N("there is no delivery %d"), id)
}

// deliveryColumns are the columns scanDelivery reads, in its order.
const deliveryColumns = `id, key, platform, workspace, user_id, channel_id, purpose, notice_id,
	profile_id, message, card_id, (SELECT body FROM cards WHERE cards.id = card_id), ` + digestBodies + `,
	status, attempts, ` + dueAt + `, created_at, sent_at, platform_message_id, last_error`

// dueAt is a delivery's due time. A delivery due when it is made, as most
// of a fan-out's are, leaves due_at empty instead of repeating created_at:
// 30 bytes a row. An empty due_at also sorts before any time, so that
// "due_at <= now" holds for it as it did.
const dueAt = `iif(due_at = '', created_at, due_at)`

// digestBodies is the column of a digest delivery that references its
// cards (codec.DigestPart): their [id, body] pairs, for codec.Cards.AddBodies.
const digestBodies = `CASE WHEN substr(message, 1, 5) = '{"d":' THEN (
		SELECT json_group_array(json_array(c.id, json(c.body)))
		FROM json_each(message, '$.d') AS j JOIN cards AS c ON c.id = j.value ->> '$.c') END`

// scanDelivery reads one row of deliveryColumns, reading a referenced
// card through cards.
func scanDelivery(row scanner, cards cardCache) (bot.Delivery, error) {
	var (
		d                  bot.Delivery
		msg, due, created  string
		cardID             sql.NullInt64
		body, bodies, sent sql.NullString
	)
	err := row.Scan(&d.ID, &d.Key, &d.To.Platform, &d.To.Workspace, &d.To.User, &d.To.Channel,
		&d.Purpose, &d.NoticeID, &d.ProfileID, &msg, &cardID, &body, &bodies, &d.Status, &d.Attempts, &due, &created,
		&sent, &d.PlatformMessageID, &d.LastError)
	if err != nil {
		return bot.Delivery{}, err
	}
	if bodies.Valid {
		if err := codec.Cards(cards).AddBodies(bodies.String); err != nil {
			return bot.Delivery{}, fmt.Errorf("delivery %d: %w", d.ID, err)
		}
	}
	if d.Message, err = cards.message(msg, cardID, body, d.ProfileID); err != nil {
		return bot.Delivery{}, fmt.Errorf("delivery %d: message: %w", d.ID, err)
	}
	if d.DueAt, err = parseTime(due); err != nil {
		return bot.Delivery{}, fmt.Errorf("delivery %d: due: %w", d.ID, err)
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return bot.Delivery{}, fmt.Errorf("delivery %d: created: %w", d.ID, err)
	}
	if d.SentAt, err = parseNullTime(sent); err != nil {
		return bot.Delivery{}, fmt.Errorf("delivery %d: sent: %w", d.ID, err)
	}
	return d, nil
}
