package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// EnsureFeed returns the feed with the given URL, creating it if needed. An
// existing feed keeps its row and history; it is renamed only when name is
// not empty and differs.
func (s *Store) EnsureFeed(ctx context.Context, url, name string) (bot.Feed, error) {
	const upsert = `
		INSERT INTO feeds (url, name, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (url) DO UPDATE SET name = excluded.name
		WHERE excluded.name <> '' AND excluded.name <> feeds.name`
	const get = `SELECT ` + feedColumns + ` FROM feeds WHERE url = $1`
	var f bot.Feed
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, upsert, url, name, unixNano(s.now())); err != nil {
			return err
		}
		var err error
		f, err = scanFeed(tx.QueryRow(ctx, get, url))
		return err
	})
	if err != nil {
		return bot.Feed{}, fmt.Errorf("postgres: ensure feed %s: %w", url, err)
	}
	return f, nil
}

// ListFeeds returns every feed, oldest first.
func (s *Store) ListFeeds(ctx context.Context) ([]bot.Feed, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY id`)
	feeds, err := collect(rows, err, func(row pgx.Rows) (bot.Feed, error) { return scanFeed(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list feeds: %w", err)
	}
	return feeds, nil
}

// RecordPoll stores the outcome of a poll of feed id, or returns ENOTFOUND,
// as the SQLite store does: a success clears the error and the failure
// count and records the items read and the response's validators; a "not
// modified" is a success that keeps both; a failure records why and counts
// it. Every outcome records when the feed is due again. A zero r.At means
// now.
func (s *Store) RecordPoll(ctx context.Context, id int64, r bot.PollResult) error {
	at := r.At
	if at.IsZero() {
		at = s.now()
	}
	var (
		tag pgconn.CommandTag
		err error
	)
	switch {
	case r.Err != nil:
		const q = `
			UPDATE feeds SET last_polled = $1, last_error = $2, next_poll = $3,
				consecutive_failures = consecutive_failures + 1
			WHERE id = $4`
		tag, err = s.pool.Exec(ctx, q, unixNano(at), r.Err.Error(), nullTime(r.NextPoll), id)
	case r.NotModified:
		const q = `
			UPDATE feeds SET last_polled = $1, last_success = $1, next_poll = $2,
				last_error = '', consecutive_failures = 0
			WHERE id = $3`
		tag, err = s.pool.Exec(ctx, q, unixNano(at), nullTime(r.NextPoll), id)
	default:
		var newAt any // NULL: no new notice this time, the dates stay
		if r.NewItems > 0 {
			newAt = unixNano(at)
		}
		const q = `
			UPDATE feeds SET last_polled = $1, last_success = $1, items = $2, next_poll = $3,
				etag = $4, last_modified = $5, last_error = '', consecutive_failures = 0,
				new_items = new_items + $6,
				first_new_at = COALESCE(first_new_at, $7::bigint), last_new_at = COALESCE($7::bigint, last_new_at)
			WHERE id = $8`
		tag, err = s.pool.Exec(ctx, q, unixNano(at), r.Items, nullTime(r.NextPoll), r.ETag, r.LastModified,
			r.NewItems, newAt, id)
	}
	if err := affectOne(tag, err); err != nil {
		return fmt.Errorf("postgres: record poll of feed %d: %w", id, translate(err, text.N("there is no feed %d"), id))
	}
	return nil
}

// feedColumns are the columns scanFeed reads, in its order.
const feedColumns = `id, url, name, last_polled, last_success, last_error, consecutive_failures, items,
	etag, last_modified, next_poll, owner_platform, owner_workspace, owner_user, status, status_reason,
	format, new_items, first_new_at, last_new_at, default_kind`

// scanFeed reads one row of feedColumns.
func scanFeed(row pgx.Row) (bot.Feed, error) {
	var (
		f                                     bot.Feed
		polled, succeeded, next, first, lastN *int64
	)
	err := row.Scan(&f.ID, &f.URL, &f.Name, &polled, &succeeded, &f.LastError, &f.ConsecutiveFailures, &f.Items,
		&f.ETag, &f.LastModified, &next, &f.Owner.Platform, &f.Owner.Workspace, &f.Owner.User,
		&f.Status, &f.StatusReason, &f.Format, &f.NewItems, &first, &lastN, &f.DefaultKind)
	if err != nil {
		return bot.Feed{}, err
	}
	f.LastPolled, f.LastSuccess, f.NextPoll = fromNullNano(polled), fromNullNano(succeeded), fromNullNano(next)
	f.FirstNewAt, f.LastNewAt = fromNullNano(first), fromNullNano(lastN)
	return f, nil
}

// AddFeed stores a partner's feed and sets its ID; ECONFLICT when a feed
// with the URL or the name exists.
func (s *Store) AddFeed(ctx context.Context, f *bot.Feed) error {
	status := f.Status
	if status == "" {
		status = bot.FeedActive
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		// Two partners adding one name at once: the second waits here for
		// the first, then sees its row.
		if _, err := tx.Exec(ctx, `LOCK TABLE feeds IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE url = $1 OR name = $2)`, f.URL, f.Name).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return bot.Errorf(bot.ECONFLICT, "A feed with that address or the name %q is read already; `feed list` shows it.", f.Name)
		}
		const q = `
			INSERT INTO feeds (url, name, created_at, owner_platform, owner_workspace, owner_user, status, format, default_kind)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`
		return tx.QueryRow(ctx, q, f.URL, f.Name, unixNano(s.now()), f.Owner.Platform, f.Owner.Workspace,
			f.Owner.User, status, f.Format, string(f.DefaultKind)).Scan(&f.ID)
	})
	if err != nil {
		return fmt.Errorf("postgres: add feed %q: %w", f.Name, translate(err, text.N("A feed with that address or the name %q is read already; `feed list` shows it."), f.Name))
	}
	f.Status = status
	return nil
}

// SetFeedStatus changes whether a feed is polled, and why, and enqueues
// tell, in one transaction; ENOTFOUND when there is no such feed.
func (s *Store) SetFeedStatus(ctx context.Context, id int64, status bot.FeedStatus, reason string, tell []bot.Delivery) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := affectOne(tx.Exec(ctx, `UPDATE feeds SET status = $1, status_reason = $2 WHERE id = $3`, status, reason, id)); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, tell, s.now())
	})
	if err != nil {
		return fmt.Errorf("postgres: set status of feed %d: %w", id, translate(err, text.N("there is no feed %d"), id))
	}
	return nil
}

// DeleteFeed removes a feed; its notices stay. ENOTFOUND when there is no
// such feed.
func (s *Store) DeleteFeed(ctx context.Context, id int64) error {
	if err := affectOne(s.pool.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id)); err != nil {
		return fmt.Errorf("postgres: delete feed %d: %w", id, translate(err, text.N("there is no feed %d"), id))
	}
	return nil
}

// FeedReach counts, for the notices a source brought, the alerts and digest
// entries they caused, the alerts delivered, and the registrations for
// events related to them (by the notice's ref or its link).
func (s *Store) FeedReach(ctx context.Context, source string) (bot.FeedReach, error) {
	const q = `
		WITH mine AS (SELECT id, url FROM notices WHERE source = $1)
		SELECT
			(SELECT COUNT(*) FROM mine),
			(SELECT COUNT(*) FROM outbox WHERE purpose = 'alert' AND notice_id IN (SELECT id FROM mine))
				+ (SELECT COUNT(*) FROM digest_items WHERE notice_id IN (SELECT id FROM mine)),
			(SELECT COUNT(*) FROM outbox WHERE purpose = 'alert' AND status = 'sent' AND notice_id IN (SELECT id FROM mine)),
			(SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id
				WHERE r.status IN ('going', 'maybe', 'waitlisted') AND e.related <> '' AND (
					'ref:' || e.related IN (SELECT key FROM notice_keys WHERE notice_id IN (SELECT id FROM mine))
					OR e.related IN (SELECT url FROM mine)))`
	var r bot.FeedReach
	if err := s.pool.QueryRow(ctx, q, source).Scan(&r.Notices, &r.Matches, &r.Delivered, &r.RSVPs); err != nil {
		return bot.FeedReach{}, fmt.Errorf("postgres: reach of %s: %w", source, err)
	}
	return r, nil
}
