package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// RecordAction stores a click on a card's button.
func (s *Store) RecordAction(ctx context.Context, from bot.Subscriber, a bot.Action, noticeID string, at time.Time) error {
	const q = `
		INSERT INTO actions (platform, workspace, user_id, channel_id, kind, profile_id, notice_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err := s.pool.Exec(ctx, q, from.Platform, from.Workspace, from.User, from.Channel,
		a.Kind, a.ProfileID, noticeID, unixNano(at))
	if err != nil {
		return fmt.Errorf("postgres: record action %s: %w", a, err)
	}
	return nil
}

// Follow records that sub follows a notice and enqueues the reminders, in
// one transaction; it reports false, and enqueues nothing, when sub
// followed it already, and ENOTFOUND when there is no such notice.
func (s *Store) Follow(ctx context.Context, sub bot.Subscriber, noticeID string, at time.Time, reminders []bot.Delivery) (bool, error) {
	const q = `
		INSERT INTO follows (platform, workspace, user_id, channel_id, notice_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT DO NOTHING`
	var added bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, noticeID, unixNano(at))
		if err != nil {
			return translate(err, text.N("there is no notice %q"), noticeID)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		added = true
		return enqueueAll(ctx, tx, reminders, s.now())
	})
	if err != nil {
		return false, fmt.Errorf("postgres: follow %s: %w", noticeID, err)
	}
	return added, nil
}

// Unfollow ends sub's follow of a notice and cancels its pending deliveries
// under cancelPrefix, in one transaction; it reports false when sub did not
// follow the notice.
func (s *Store) Unfollow(ctx context.Context, sub bot.Subscriber, noticeID, cancelPrefix string) (bool, error) {
	const q = `DELETE FROM follows WHERE ` + subscriberWhere + ` AND notice_id = $5`
	var removed bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, append(subscriberArgs(sub), noticeID)...)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		removed = true
		return cancelPending(ctx, tx, cancelPrefix)
	})
	if err != nil {
		return false, fmt.Errorf("postgres: unfollow %s: %w", noticeID, err)
	}
	return removed, nil
}

// Followed returns the notices sub follows, most recently followed first.
func (s *Store) Followed(ctx context.Context, sub bot.Subscriber) ([]bot.Notice, error) {
	const q = `
		SELECT ` + noticeColumns + `
		FROM follows AS f JOIN notices AS n ON n.id = f.notice_id
		WHERE f.platform = $1 AND f.workspace = $2 AND f.user_id = $3 AND f.channel_id = $4
		ORDER BY f.created_at DESC, n.seq DESC`
	ns, err := s.queryNotices(ctx, q, subscriberArgs(sub)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: followed by %s: %w", sub.Key(), err)
	}
	return ns, nil
}

// Followers returns who follows a notice.
func (s *Store) Followers(ctx context.Context, noticeID string) ([]bot.Subscriber, error) {
	const q = `SELECT platform, workspace, user_id, channel_id FROM follows WHERE notice_id = $1 ORDER BY created_at`
	rows, err := s.pool.Query(ctx, q, noticeID)
	subs, err := collect(rows, err, func(row pgx.Rows) (bot.Subscriber, error) {
		var sub bot.Subscriber
		err := row.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel)
		return sub, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: followers of %s: %w", noticeID, err)
	}
	return subs, nil
}

// MuteBuyer records that a profile never alerts about a buyer again.
func (s *Store) MuteBuyer(ctx context.Context, profileID int64, buyer string, at time.Time) error {
	const q = `INSERT INTO profile_mutes (profile_id, buyer, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	if _, err := s.pool.Exec(ctx, q, profileID, buyer, unixNano(at)); err != nil {
		err = translate(err, text.N("there is no profile %d"), profileID)
		return fmt.Errorf("postgres: mute %q for profile %d: %w", buyer, profileID, err)
	}
	return nil
}

// MutedBuyers returns the muted buyers of each of the given profiles that
// has any.
func (s *Store) MutedBuyers(ctx context.Context, profileIDs []int64) (map[int64][]string, error) {
	muted := map[int64][]string{}
	if len(profileIDs) == 0 {
		return muted, nil
	}
	const q = `SELECT profile_id, buyer FROM profile_mutes WHERE profile_id = ANY($1) ORDER BY profile_id, buyer`
	rows, err := s.pool.Query(ctx, q, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: muted buyers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var buyer string
		if err := rows.Scan(&id, &buyer); err != nil {
			return nil, fmt.Errorf("postgres: muted buyers: %w", err)
		}
		muted[id] = append(muted[id], buyer)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: muted buyers: %w", err)
	}
	return muted, nil
}

// NotRelevant returns the notices marked not relevant for a profile, most
// recent mark first.
func (s *Store) NotRelevant(ctx context.Context, profileID int64) ([]bot.Notice, error) {
	const q = `
		SELECT ` + noticeColumns + `
		FROM notices AS n JOIN (
			SELECT notice_id, MAX(id) AS last FROM actions
			WHERE profile_id = $1 AND kind = $2 GROUP BY notice_id
		) AS a ON a.notice_id = n.id
		ORDER BY a.last DESC`
	ns, err := s.queryNotices(ctx, q, profileID, bot.ActionNotRelevant)
	if err != nil {
		return nil, fmt.Errorf("postgres: not relevant for profile %d: %w", profileID, err)
	}
	return ns, nil
}
