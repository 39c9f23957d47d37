package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// Enqueue stores d as pending and sets its ID, Status, Attempts and
// CreatedAt, and its DueAt to now when zero; it reports false, and changes
// neither the store nor d, when a delivery with d.Key exists.
func (s *Store) Enqueue(ctx context.Context, d *bot.Delivery) (bool, error) {
	if d.Key == "" {
		return false, errors.New("postgres: enqueue: delivery has no key")
	}
	msg, err := json.Marshal(d.Message)
	if err != nil {
		return false, fmt.Errorf("postgres: enqueue %s: message: %w", d.Key, err)
	}
	now := s.now()
	due := d.DueAt.UTC()
	if d.DueAt.IsZero() {
		due = now
	}
	if err := checkTime("due time", due); err != nil {
		return false, fmt.Errorf("postgres: enqueue %s: %w", d.Key, err)
	}
	// RETURNING yields no row for a duplicate key.
	const q = `
		INSERT INTO outbox (key, platform, workspace, user_id, channel_id, purpose, notice_id,
			profile_id, message, status, attempts, due_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $11)
		ON CONFLICT (key) DO NOTHING
		RETURNING id`
	var id int64
	err = s.pool.QueryRow(ctx, q, d.Key, d.To.Platform, d.To.Workspace, d.To.User, d.To.Channel,
		d.Purpose, d.NoticeID, d.ProfileID, string(msg), unixNano(due), unixNano(now)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: enqueue %s: %w", d.Key, err)
	}
	d.ID, d.Status, d.Attempts, d.DueAt, d.CreatedAt = id, bot.StatusPending, 0, due, now
	return true, nil
}

// HasDelivery reports whether a delivery with the given key exists, whatever
// its status.
func (s *Store) HasDelivery(ctx context.Context, key string) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE key = $1)`, key).Scan(&ok); err != nil {
		return false, fmt.Errorf("postgres: has delivery %s: %w", key, err)
	}
	return ok, nil
}

// sendable is the condition on outbox AS o of a pending delivery on one of
// the platforms $1 that no older delivery of its conversation holds back:
// one that failed and waits, at the time $2, for its retry.
const sendable = `o.status = 'pending' AND o.platform = ANY($1)
	AND NOT EXISTS (
		SELECT 1 FROM outbox AS older
		WHERE older.status = 'pending' AND older.attempts > 0 AND older.due_at > $2
			AND older.platform = o.platform AND older.workspace = o.workspace
			AND older.user_id = o.user_id AND older.channel_id = o.channel_id
			AND older.id < o.id)`

// platformNames returns platforms as the text array sendable takes.
func platformNames(platforms []bot.Platform) []string {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = string(p)
	}
	return names
}

// DueDeliveries returns up to limit pending deliveries for the given
// platforms due at or before now with an ID after after, in the order they
// were enqueued. A conversation whose older delivery failed and waits for
// its retry gives nothing newer until it went out, so messages keep their
// order. No platforms, or a limit below 1, returns none.
func (s *Store) DueDeliveries(ctx context.Context, platforms []bot.Platform, now time.Time, after int64, limit int) ([]bot.Delivery, error) {
	if len(platforms) == 0 || limit <= 0 {
		return nil, nil
	}
	const q = `
		SELECT ` + deliveryColumns + `
		FROM outbox AS o
		WHERE ` + sendable + ` AND o.id > $3 AND o.due_at <= $2
		ORDER BY o.id
		LIMIT $4`
	ds, err := s.queryDeliveries(ctx, q, platformNames(platforms), unixNano(now), after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: due deliveries: %w", err)
	}
	return ds, nil
}

// NextDue returns the earliest due time of a pending delivery for the given
// platforms, whether or not it has passed, among those DueDeliveries would
// return once due, judged at now; ok is false when there is none.
func (s *Store) NextDue(ctx context.Context, platforms []bot.Platform, now time.Time) (due time.Time, ok bool, err error) {
	if len(platforms) == 0 {
		return time.Time{}, false, nil
	}
	var min *int64
	q := `SELECT MIN(o.due_at) FROM outbox AS o WHERE ` + sendable
	if err := s.pool.QueryRow(ctx, q, platformNames(platforms), unixNano(now)).Scan(&min); err != nil {
		return time.Time{}, false, fmt.Errorf("postgres: next due: %w", err)
	}
	if min == nil {
		return time.Time{}, false, nil
	}
	return fromNano(*min), true, nil
}

// MarkSending records that the deliveries are being handed to the
// platform, in one statement, or returns ENOTFOUND and marks none.
func (s *Store) MarkSending(ctx context.Context, ids ...int64) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		// No lease: a worker that marks rows sending is the only one.
		tag, err := tx.Exec(ctx, `UPDATE outbox SET status = 'sending', lease_owner = '', lease_until = NULL WHERE id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		return allFound(ctx, tx, tag, ids)
	})
	if err != nil {
		return fmt.Errorf("postgres: mark deliveries sending: %w", err)
	}
	return nil
}

// allFound returns ENOTFOUND, naming a missing delivery, when an update of
// the deliveries ids changed fewer rows than there are distinct ids.
func allFound(ctx context.Context, tx pgx.Tx, tag interface{ RowsAffected() int64 }, ids []int64) error {
	distinct := map[int64]bool{}
	for _, id := range ids {
		distinct[id] = true
	}
	if tag.RowsAffected() == int64(len(distinct)) {
		return nil
	}
	var missing int64
	const q = `SELECT id FROM unnest($1::bigint[]) AS id WHERE id NOT IN (SELECT id FROM outbox WHERE id = ANY($1)) LIMIT 1`
	if err := tx.QueryRow(ctx, q, ids).Scan(&missing); err != nil {
		return err
	}
	return bot.Errorf(bot.ENOTFOUND, "there is no delivery %d", missing)
}

// Record records what became of the deliveries taken to send, in one
// transaction, or returns ENOTFOUND and records none. A sent delivery keeps
// its key, status and platform message id; its message and card reference
// go.
func (s *Store) Record(ctx context.Context, results []bot.DeliveryResult) error {
	// One statement for the whole batch: each row's outcome picks which
	// columns change, and to what.
	const q = `
		UPDATE outbox AS o SET
			status = CASE r.kind WHEN 'sent' THEN 'sent' WHEN 'failed' THEN 'failed' ELSE 'pending' END,
			sent_at = CASE WHEN r.kind = 'sent' THEN r.at ELSE o.sent_at END,
			platform_message_id = CASE WHEN r.kind = 'sent' THEN r.platform_message_id ELSE o.platform_message_id END,
			message = CASE WHEN r.kind = 'sent' THEN '{}' ELSE o.message END,
			card_id = CASE WHEN r.kind = 'sent' THEN NULL ELSE o.card_id END,
			attempts = CASE WHEN r.kind = 'retry' THEN o.attempts + 1 ELSE o.attempts END,
			due_at = CASE WHEN r.kind = 'retry' THEN r.at ELSE o.due_at END,
			last_error = CASE WHEN r.kind IN ('retry', 'failed') THEN r.reason ELSE o.last_error END
		FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[])
			AS r(id, kind, at, platform_message_id, reason)
		WHERE o.id = r.id`
	n := len(results)
	ids, kinds, ats := make([]int64, n), make([]string, n), make([]int64, n)
	messageIDs, reasons := make([]string, n), make([]string, n)
	now := s.now()
	for i, r := range results {
		kind, at := codec.ResultUpdate(r, now)
		ids[i], kinds[i], ats[i] = r.ID, kind, unixNano(at)
		messageIDs[i], reasons[i] = r.PlatformMessageID, r.Reason
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, ids, kinds, ats, messageIDs, reasons)
		if err != nil {
			return err
		}
		return allFound(ctx, tx, tag, ids)
	})
	if err != nil {
		return fmt.Errorf("postgres: record deliveries: %w", err)
	}
	return nil
}

// Sending returns the deliveries left in the sending state, oldest first.
func (s *Store) Sending(ctx context.Context) ([]bot.Delivery, error) {
	ds, err := s.queryDeliveries(ctx, `SELECT `+deliveryColumns+` FROM outbox AS o WHERE o.status = 'sending' ORDER BY o.id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: sending deliveries: %w", err)
	}
	return ds, nil
}

// MarkSent records that delivery id was sent at at (now when zero), with the
// platform's id for the message, or returns ENOTFOUND.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time, platformMessageID string) error {
	if at.IsZero() {
		at = s.now()
	}
	const q = `UPDATE outbox SET status = 'sent', sent_at = $1, platform_message_id = $2, message = '{}', card_id = NULL WHERE id = $3`
	if err := s.updateDelivery(ctx, id, q, unixNano(at), platformMessageID, id); err != nil {
		return fmt.Errorf("postgres: mark delivery %d sent: %w", id, err)
	}
	return nil
}

// Reschedule keeps delivery id pending, due again at due (now when zero),
// counting one more attempt and the reason it failed, or returns ENOTFOUND.
func (s *Store) Reschedule(ctx context.Context, id int64, due time.Time, reason string) error {
	if due.IsZero() {
		due = s.now()
	}
	const q = `UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = $1, last_error = $2 WHERE id = $3`
	if err := s.updateDelivery(ctx, id, q, unixNano(due), reason, id); err != nil {
		return fmt.Errorf("postgres: reschedule delivery %d: %w", id, err)
	}
	return nil
}

// MarkFailed records that delivery id can never be sent, and why, or returns
// ENOTFOUND.
func (s *Store) MarkFailed(ctx context.Context, id int64, reason string) error {
	const q = `UPDATE outbox SET status = 'failed', last_error = $1 WHERE id = $2`
	if err := s.updateDelivery(ctx, id, q, reason, id); err != nil {
		return fmt.Errorf("postgres: mark delivery %d failed: %w", id, err)
	}
	return nil
}

// updateDelivery runs q, an update of the delivery id, and reports
// ENOTFOUND when there is no such delivery.
func (s *Store) updateDelivery(ctx context.Context, id int64, q string, args ...any) error {
	return translate(affectOne(s.pool.Exec(ctx, q, args...)), text.N("there is no delivery %d"), id)
}

// CancelPending cancels the pending deliveries whose key starts with prefix.
func (s *Store) CancelPending(ctx context.Context, prefix string) error {
	if err := cancelPending(ctx, s.pool, prefix); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// CountsSince counts, for each of subs, the deliveries with the purpose
// made for them since t, in one query over the index by recipient: every
// replica's alerts count, which no process's memory could know.
func (s *Store) CountsSince(ctx context.Context, subs []bot.Subscriber, purpose bot.Purpose, since time.Time) (map[bot.Subscriber]int, error) {
	if len(subs) == 0 {
		return nil, nil
	}
	const q = `
		SELECT o.platform, o.workspace, o.user_id, o.channel_id, COUNT(*)
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (p, w, u, c)
		JOIN outbox AS o ON o.platform = s.p AND o.workspace = s.w AND o.user_id = s.u AND o.channel_id = s.c
		WHERE o.purpose = $5 AND o.created_at >= $6
		GROUP BY o.platform, o.workspace, o.user_id, o.channel_id`
	rows, err := s.pool.Query(ctx, q, append(subscriberArrays(subs), purpose, unixNano(since))...)
	if err != nil {
		return nil, fmt.Errorf("postgres: count deliveries: %w", err)
	}
	defer rows.Close()
	counts := map[bot.Subscriber]int{}
	for rows.Next() {
		var sub bot.Subscriber
		var n int
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel, &n); err != nil {
			return nil, fmt.Errorf("postgres: count deliveries: %w", err)
		}
		counts[sub] = n
	}
	return counts, rows.Err()
}

// SentMessageID returns the platform's id of the sent delivery with the key,
// "" when there is none.
func (s *Store) SentMessageID(ctx context.Context, key string) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT platform_message_id FROM outbox WHERE key = $1 AND status = 'sent'`, key).Scan(&id)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("postgres: sent message id of %s: %w", key, err)
	}
	return id, nil
}

// Failed returns up to limit deliveries that failed for good, newest first;
// to sub only, unless sub is the zero Subscriber.
func (s *Store) Failed(ctx context.Context, sub bot.Subscriber, limit int) ([]bot.Delivery, error) {
	var (
		ds  []bot.Delivery
		err error
	)
	if sub == (bot.Subscriber{}) {
		ds, err = s.queryDeliveries(ctx, `SELECT `+deliveryColumns+` FROM outbox AS o WHERE o.status = 'failed' ORDER BY o.id DESC LIMIT $1`, limit)
	} else {
		q := `SELECT ` + deliveryColumns + ` FROM outbox AS o WHERE o.status = 'failed' AND ` + subscriberWhere + ` ORDER BY o.id DESC LIMIT $5`
		ds, err = s.queryDeliveries(ctx, q, append(subscriberArgs(sub), limit)...)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: failed deliveries: %w", err)
	}
	return ds, nil
}

// deliveryColumns are the columns scanDelivery reads, in its order, from
// outbox AS o.
const deliveryColumns = `o.id, o.key, o.platform, o.workspace, o.user_id, o.channel_id, o.purpose, o.notice_id,
	o.profile_id, o.message, o.card_id, (SELECT body FROM cards WHERE cards.id = o.card_id), o.status, o.attempts,
	o.due_at, o.created_at, o.sent_at, o.platform_message_id, o.last_error`

// queryDeliveries runs q, which selects deliveryColumns, on the pool.
func (s *Store) queryDeliveries(ctx context.Context, q string, args ...any) ([]bot.Delivery, error) {
	return queryDeliveries(ctx, s.pool, q, args...)
}

// queryDeliveries runs q, which selects (or returns) deliveryColumns,
// through db, reading each referenced card once.
func queryDeliveries(ctx context.Context, db querier, q string, args ...any) ([]bot.Delivery, error) {
	rows, err := db.Query(ctx, q, args...)
	return scanDeliveries(rows, err)
}

// scanDeliveries reads the deliveries rows holds, the result of a query
// that selects (or returns) deliveryColumns, reading each referenced card
// once.
func scanDeliveries(rows pgx.Rows, err error) ([]bot.Delivery, error) {
	cards := codec.Cards{}
	return collect(rows, err, func(row pgx.Rows) (bot.Delivery, error) {
		var (
			d            bot.Delivery
			msg          string
			cardID       *int64
			body         *string
			due, created int64
			sent         *int64
		)
		err := row.Scan(&d.ID, &d.Key, &d.To.Platform, &d.To.Workspace, &d.To.User, &d.To.Channel,
			&d.Purpose, &d.NoticeID, &d.ProfileID, &msg, &cardID, &body, &d.Status, &d.Attempts, &due, &created,
			&sent, &d.PlatformMessageID, &d.LastError)
		if err != nil {
			return d, err
		}
		d.DueAt, d.CreatedAt, d.SentAt = fromNano(due), fromNano(created), fromNullNano(sent)
		if d.Message, err = cards.Message(msg, cardID, body, d.ProfileID); err != nil {
			return d, fmt.Errorf("delivery %d: message: %w", d.ID, err)
		}
		return d, nil
	})
}
