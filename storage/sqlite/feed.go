package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// EnsureFeed returns the feed with the given URL, creating it if needed. An
// existing feed keeps its row and history; it is renamed only when name is
// not empty and differs.
func (s *Store) EnsureFeed(ctx context.Context, url, name string) (bot.Feed, error) {
	const upsert = `
		INSERT INTO feeds (url, name, created_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET name = excluded.name
		WHERE excluded.name <> '' AND excluded.name <> feeds.name`
	const get = `SELECT ` + feedColumns + ` FROM feeds WHERE url = ?`
	var f bot.Feed
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, upsert, url, name, formatTime(s.now())); err != nil {
			return err
		}
		var err error
		f, err = scanFeed(tx.QueryRowContext(ctx, get, url))
		return err
	})
	if err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: ensure feed %s: %w", url, err)
	}
	return f, nil
}

// ListFeeds returns every feed, oldest first.
func (s *Store) ListFeeds(ctx context.Context) ([]bot.Feed, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list feeds: %w", err)
	}
	defer rows.Close()
	var feeds []bot.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list feeds: %w", err)
		}
		feeds = append(feeds, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list feeds: %w", err)
	}
	return feeds, nil
}

// RecordPoll stores the outcome of a poll of feed id, or returns ENOTFOUND.
// A success clears the error and the failure count and records the items
// read and the response's validators; a "not modified" is a success that
// keeps both; a failure records why and counts it, keeping the last success
// and its item count. Every outcome records when the feed is due again. A
// zero r.At means now.
func (s *Store) RecordPoll(ctx context.Context, id int64, r bot.PollResult) error {
	at := r.At
	if at.IsZero() {
		at = s.now()
	}
	var (
		res sql.Result
		err error
	)
	switch {
	case r.Err != nil:
		const q = `
			UPDATE feeds SET last_polled = ?, last_error = ?, next_poll = ?,
				consecutive_failures = consecutive_failures + 1
			WHERE id = ?`
		res, err = s.writer.ExecContext(ctx, q, formatTime(at), r.Err.Error(), nullTime(r.NextPoll), id)
	case r.NotModified:
		// Nothing was read: the item count and validators stay.
		const q = `
			UPDATE feeds SET last_polled = ?, last_success = ?, next_poll = ?,
				last_error = '', consecutive_failures = 0
			WHERE id = ?`
		res, err = s.writer.ExecContext(ctx, q, formatTime(at), formatTime(at), nullTime(r.NextPoll), id)
	default:
		var newAt any // NULL: no new notice this time, the dates stay
		if r.NewItems > 0 {
			newAt = formatTime(at)
		}
		const q = `
			UPDATE feeds SET last_polled = ?, last_success = ?, items = ?, next_poll = ?,
				etag = ?, last_modified = ?, last_error = '', consecutive_failures = 0,
				new_items = new_items + ?,
				first_new_at = COALESCE(first_new_at, ?), last_new_at = COALESCE(?, last_new_at)
			WHERE id = ?`
		res, err = s.writer.ExecContext(ctx, q, formatTime(at), formatTime(at), r.Items,
			nullTime(r.NextPoll), r.ETag, r.LastModified, r.NewItems, newAt, newAt, id)
	}
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		err = translate(err, text.N("there is no feed %d"), id)
		return fmt.Errorf("sqlite: record poll of feed %d: %w", id, err)
	}
	return nil
}

// feedColumns are the columns scanFeed reads, in its order.
const feedColumns = `id, url, name, last_polled, last_success, last_error, consecutive_failures, items,
	etag, last_modified, next_poll, owner_platform, owner_workspace, owner_user, status, status_reason,
	format, new_items, first_new_at, last_new_at, default_kind`

// scanFeed reads one row of feedColumns.
func scanFeed(row scanner) (bot.Feed, error) {
	var (
		f                 bot.Feed
		polled, succeeded sql.NullString
		next              sql.NullString
		firstNew, lastNew sql.NullString
	)
	err := row.Scan(&f.ID, &f.URL, &f.Name, &polled, &succeeded, &f.LastError, &f.ConsecutiveFailures, &f.Items,
		&f.ETag, &f.LastModified, &next, &f.Owner.Platform, &f.Owner.Workspace, &f.Owner.User,
		&f.Status, &f.StatusReason, &f.Format, &f.NewItems, &firstNew, &lastNew, &f.DefaultKind)
	if err != nil {
		return bot.Feed{}, err
	}
	if f.LastPolled, err = parseNullTime(polled); err != nil {
		return bot.Feed{}, fmt.Errorf("feed %d: last polled: %w", f.ID, err)
	}
	if f.LastSuccess, err = parseNullTime(succeeded); err != nil {
		return bot.Feed{}, fmt.Errorf("feed %d: last success: %w", f.ID, err)
	}
	if f.NextPoll, err = parseNullTime(next); err != nil {
		return bot.Feed{}, fmt.Errorf("feed %d: next poll: %w", f.ID, err)
	}
	if f.FirstNewAt, err = parseNullTime(firstNew); err != nil {
		return bot.Feed{}, fmt.Errorf("feed %d: first new: %w", f.ID, err)
	}
	if f.LastNewAt, err = parseNullTime(lastNew); err != nil {
		return bot.Feed{}, fmt.Errorf("feed %d: last new: %w", f.ID, err)
	}
	return f, nil
}

// AddFeed stores a partner's feed and sets its ID; ECONFLICT when a feed
// with the URL or the name exists.
func (s *Store) AddFeed(ctx context.Context, f *bot.Feed) error {
	status := f.Status
	if status == "" {
		status = bot.FeedActive
	}
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE url = ? OR name = ?)`, f.URL, f.Name).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return bot.Errorf(bot.ECONFLICT, "A feed with that address or the name %q is read already; `feed list` shows it.", f.Name)
		}
		const q = `
			INSERT INTO feeds (url, name, created_at, owner_platform, owner_workspace, owner_user, status, format, default_kind)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
		return tx.QueryRowContext(ctx, q, f.URL, f.Name, formatTime(s.now()), f.Owner.Platform, f.Owner.Workspace,
			f.Owner.User, status, f.Format, string(f.DefaultKind)).Scan(&f.ID)
	})
	if err != nil {
		return fmt.Errorf("sqlite: add feed %q: %w", f.Name, err)
	}
	f.Status = status
	return nil
}

// SetFeedStatus changes whether a feed is polled, and why, and enqueues
// tell, in one transaction; ENOTFOUND when there is no such feed.
func (s *Store) SetFeedStatus(ctx context.Context, id int64, status bot.FeedStatus, reason string, tell []bot.Delivery) error {
	var alerts []madeAlert
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE feeds SET status = ?, status_reason = ? WHERE id = ?`, status, reason, id)
		if err == nil {
			err = affectOne(res)
		}
		if err != nil {
			return err
		}
		alerts, err = enqueueAll(ctx, tx, tell, s.now())
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set status of feed %d: %w", id, translate(err, text.N("there is no feed %d"), id))
	}
	s.recent.add(alerts)
	return nil
}

// DeleteFeed removes a feed; its notices stay. ENOTFOUND when there is no
// such feed.
func (s *Store) DeleteFeed(ctx context.Context, id int64) error {
	res, err := s.writer.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		return fmt.Errorf("sqlite: delete feed %d: %w", id, translate(err, text.N("there is no feed %d"), id))
	}
	return nil
}

// FeedReach counts, for the notices a source brought, the alerts and digest
// entries they caused, the alerts delivered, and the registrations for
// events related to them (by the notice's ref or its link).
func (s *Store) FeedReach(ctx context.Context, source string) (bot.FeedReach, error) {
	const q = `
		WITH mine AS (SELECT id FROM notices WHERE source = ?)
		SELECT
			(SELECT COUNT(*) FROM mine),
			(SELECT COUNT(*) FROM outbox WHERE purpose = 'alert' AND notice_id IN (SELECT id FROM mine))
				+ (SELECT COUNT(*) FROM digest_items WHERE notice_id IN (SELECT id FROM mine)),
			(SELECT COUNT(*) FROM outbox WHERE purpose = 'alert' AND status = 'sent' AND notice_id IN (SELECT id FROM mine)),
			(SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id
				WHERE r.status IN ('going', 'maybe', 'waitlisted') AND e.related != '' AND (
					'ref:' || e.related IN (SELECT key FROM notice_keys WHERE notice_id IN (SELECT id FROM mine))
					OR e.related IN (SELECT url FROM notices WHERE source = ?)))`
	var r bot.FeedReach
	if err := s.reader.QueryRowContext(ctx, q, source, source).Scan(&r.Notices, &r.Matches, &r.Delivered, &r.RSVPs); err != nil {
		return bot.FeedReach{}, fmt.Errorf("sqlite: reach of %s: %w", source, err)
	}
	return r, nil
}
