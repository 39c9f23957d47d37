package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// applyEffects writes what storing notice noticeID causes, inside tx.
func applyEffects(ctx context.Context, tx *sql.Tx, noticeID string, fx bot.Effects, now time.Time) error {
	for _, prefix := range fx.Cancel {
		if err := cancelPending(ctx, tx, prefix); err != nil {
			return err
		}
	}
	for _, sub := range fx.Unfollow {
		const q = `DELETE FROM follows WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ? AND notice_id = ?`
		if _, err := tx.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, noticeID); err != nil {
			return fmt.Errorf("unfollow: %w", err)
		}
	}
	if err := enqueueAll(ctx, tx, fx.Deliveries, now); err != nil {
		return err
	}
	for _, it := range fx.Held {
		if err := hold(ctx, tx, it, now); err != nil {
			return fmt.Errorf("hold %s for %s: %w", it.NoticeID, it.To.Key(), err)
		}
	}
	return nil
}

// cancelPending cancels the pending deliveries whose key starts with prefix.
func cancelPending(ctx context.Context, q querier, prefix string) error {
	// substr, not LIKE: a key may hold % and _. SQLite counts characters,
	// so the prefix's length is its own, not Go's count of bytes.
	const stmt = `UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND substr(key, 1, length(?1)) = ?1`
	if _, err := q.ExecContext(ctx, stmt, prefix); err != nil {
		return fmt.Errorf("cancel %s: %w", prefix, err)
	}
	return nil
}

// CancelPending cancels the pending deliveries whose key starts with prefix.
func (s *Store) CancelPending(ctx context.Context, prefix string) error {
	if err := cancelPending(ctx, s.writer, prefix); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// hold stores a digest item; one the subscriber holds already for the
// notice is ignored.
func hold(ctx context.Context, q querier, it bot.DigestItem, now time.Time) error {
	card, err := json.Marshal(it.Card)
	if err != nil {
		return err
	}
	const stmt = `
		INSERT INTO digest_items (platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, overflow, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`
	_, err = q.ExecContext(ctx, stmt, it.To.Platform, it.To.Workspace, it.To.User, it.To.Channel,
		it.Mode, it.ProfileID, it.NoticeID, string(card), it.Overflow, formatTime(now))
	return err
}

// DigestItems returns the held items of the mode created before t, grouped
// by subscriber, oldest first.
func (s *Store) DigestItems(ctx context.Context, mode bot.DeliveryMode, before time.Time) ([]bot.DigestItem, error) {
	return s.queryDigestItems(ctx, `mode = ? AND created_at < ?`, mode, formatTime(before))
}

// queryDigestItems returns the held items that match where, grouped by
// subscriber, oldest first.
func (s *Store) queryDigestItems(ctx context.Context, where string, args ...any) ([]bot.DigestItem, error) {
	q := `
		SELECT id, platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, overflow, created_at
		FROM digest_items
		WHERE ` + where + `
		ORDER BY platform, workspace, user_id, channel_id, id`
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: digest items: %w", err)
	}
	defer rows.Close()
	var items []bot.DigestItem
	for rows.Next() {
		var it bot.DigestItem
		var card, created string
		if err := rows.Scan(&it.ID, &it.To.Platform, &it.To.Workspace, &it.To.User, &it.To.Channel,
			&it.Mode, &it.ProfileID, &it.NoticeID, &card, &it.Overflow, &created); err != nil {
			return nil, fmt.Errorf("sqlite: digest items: %w", err)
		}
		if err := json.Unmarshal([]byte(card), &it.Card); err != nil {
			return nil, fmt.Errorf("sqlite: digest item %d: card: %w", it.ID, err)
		}
		if it.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("sqlite: digest item %d: %w", it.ID, err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: digest items: %w", err)
	}
	return items, nil
}

// CommitDigest enqueues the digest delivery and deletes the items it
// carries, in one transaction.
func (s *Store) CommitDigest(ctx context.Context, d *bot.Delivery, itemIDs []int64) error {
	ids, err := json.Marshal(itemIDs)
	if err != nil {
		return fmt.Errorf("sqlite: commit digest %s: %w", d.Key, err)
	}
	err = write(ctx, s.writer, func(tx *sql.Tx) error {
		if _, err := enqueue(ctx, tx, d, s.now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM digest_items WHERE id IN (SELECT value FROM json_each(?))`, string(ids))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: commit digest %s: %w", d.Key, err)
	}
	return nil
}

// CountSince counts the deliveries with the purpose made for sub since t.
func (s *Store) CountSince(ctx context.Context, sub bot.Subscriber, purpose bot.Purpose, since time.Time) (int, error) {
	const q = `
		SELECT COUNT(*) FROM outbox
		WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ? AND purpose = ? AND created_at >= ?`
	var n int
	err := s.reader.QueryRowContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, purpose, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count deliveries to %s: %w", sub.Key(), err)
	}
	return n, nil
}

// SentMessageID returns the platform's id of the sent delivery with the key,
// "" when there is none.
func (s *Store) SentMessageID(ctx context.Context, key string) (string, error) {
	var id sql.NullString
	err := s.reader.QueryRowContext(ctx, `SELECT platform_message_id FROM outbox WHERE key = ? AND status = 'sent'`, key).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("sqlite: sent message id of %s: %w", key, err)
	}
	return id.String, nil
}

// Failed returns up to limit deliveries that failed for good, newest first;
// to sub only, unless sub is the zero Subscriber.
func (s *Store) Failed(ctx context.Context, sub bot.Subscriber, limit int) ([]bot.Delivery, error) {
	q := `SELECT ` + deliveryColumns + ` FROM outbox WHERE status = 'failed'`
	var args []any
	if sub != (bot.Subscriber{}) {
		q += ` AND platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?`
		args = append(args, sub.Platform, sub.Workspace, sub.User, sub.Channel)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := s.reader.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: failed deliveries: %w", err)
	}
	defer rows.Close()
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: failed deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// Settings returns sub's settings; the zero Settings when none are stored.
func (s *Store) Settings(ctx context.Context, sub bot.Subscriber) (bot.Settings, error) {
	const q = `
		SELECT quiet_start, quiet_end FROM subscriber_settings
		WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?`
	var start, end sql.NullInt64
	err := s.reader.QueryRowContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel).Scan(&start, &end)
	if err == sql.ErrNoRows {
		return bot.Settings{}, nil
	}
	if err != nil {
		return bot.Settings{}, fmt.Errorf("sqlite: settings of %s: %w", sub.Key(), err)
	}
	var settings bot.Settings
	if start.Valid && end.Valid {
		settings.Quiet = &bot.QuietHours{Start: time.Duration(start.Int64) * time.Minute, End: time.Duration(end.Int64) * time.Minute}
	}
	return settings, nil
}

// SaveSettings stores sub's settings.
func (s *Store) SaveSettings(ctx context.Context, sub bot.Subscriber, settings bot.Settings) error {
	var start, end any
	if q := settings.Quiet; q != nil {
		start, end = int64(q.Start/time.Minute), int64(q.End/time.Minute)
	}
	const q = `
		INSERT INTO subscriber_settings (platform, workspace, user_id, channel_id, quiet_start, quiet_end)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end`
	if _, err := s.writer.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, start, end); err != nil {
		return fmt.Errorf("sqlite: save settings of %s: %w", sub.Key(), err)
	}
	return nil
}

// Followers returns who follows a notice.
func (s *Store) Followers(ctx context.Context, noticeID string) ([]bot.Subscriber, error) {
	const q = `SELECT platform, workspace, user_id, channel_id FROM follows WHERE notice_id = ? ORDER BY created_at`
	rows, err := s.reader.QueryContext(ctx, q, noticeID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: followers of %s: %w", noticeID, err)
	}
	defer rows.Close()
	var subs []bot.Subscriber
	for rows.Next() {
		var sub bot.Subscriber
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel); err != nil {
			return nil, fmt.Errorf("sqlite: followers of %s: %w", noticeID, err)
		}
		subs = append(subs, sub)
	}
	return subs, rows.Err()
}

// SetDelivery changes how a profile's matches are delivered, or returns
// ENOTFOUND.
func (s *Store) SetDelivery(ctx context.Context, id int64, mode bot.DeliveryMode) error {
	res, err := s.writer.ExecContext(ctx, `UPDATE profiles SET delivery = ? WHERE id = ?`, mode, id)
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		return fmt.Errorf("sqlite: set delivery of profile %d: %w", id, translate(err, fmt.Sprintf("there is no profile %d", id)))
	}
	return nil
}
