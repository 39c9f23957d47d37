package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// RecordAction stores a click on a card's button.
func (s *Store) RecordAction(ctx context.Context, from bot.Subscriber, a bot.Action, noticeID string, at time.Time) error {
	const q = `
		INSERT INTO actions (platform, workspace, user_id, channel_id, kind, profile_id, notice_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	_, err := s.writer.ExecContext(ctx, q, from.Platform, from.Workspace, from.User, from.Channel,
		a.Kind, a.ProfileID, noticeID, formatTime(at))
	if err != nil {
		return fmt.Errorf("sqlite: record action %s: %w", a, err)
	}
	return nil
}

// Follow records that sub follows a notice and enqueues the reminders, in
// one transaction; it reports false, and enqueues nothing, when sub
// followed it already.
func (s *Store) Follow(ctx context.Context, sub bot.Subscriber, noticeID string, at time.Time, reminders []bot.Delivery) (bool, error) {
	const q = `
		INSERT INTO follows (platform, workspace, user_id, channel_id, notice_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`
	var added bool
	var alerts []madeAlert
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, noticeID, formatTime(at))
		if err != nil {
			return translate(err, text.N("there is no notice %q"), noticeID)
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		added = true
		alerts, err = enqueueAll(ctx, tx, reminders, s.now())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: follow %s: %w", noticeID, err)
	}
	s.recent.add(alerts)
	return added, nil
}

// Unfollow ends sub's follow of a notice and cancels its pending deliveries
// under cancelPrefix, in one transaction; it reports false when sub did not
// follow the notice.
func (s *Store) Unfollow(ctx context.Context, sub bot.Subscriber, noticeID, cancelPrefix string) (bool, error) {
	const q = `
		DELETE FROM follows
		WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ? AND notice_id = ?`
	var removed bool
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, noticeID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		removed = true
		return cancelPending(ctx, tx, cancelPrefix)
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: unfollow %s: %w", noticeID, err)
	}
	return removed, nil
}

// Followed returns the notices sub follows, most recently followed first.
func (s *Store) Followed(ctx context.Context, sub bot.Subscriber) ([]bot.Notice, error) {
	const q = `
		SELECT ` + noticeColumns + `
		FROM follows AS f JOIN notices AS n ON n.id = f.notice_id
		WHERE f.platform = ? AND f.workspace = ? AND f.user_id = ? AND f.channel_id = ?
		ORDER BY f.created_at DESC, n.seq DESC`
	ns, err := s.queryNotices(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel)
	if err != nil {
		return nil, fmt.Errorf("sqlite: followed by %s: %w", sub.Key(), err)
	}
	return ns, nil
}

// MuteBuyer records that a profile never alerts about a buyer again.
func (s *Store) MuteBuyer(ctx context.Context, profileID int64, buyer string, at time.Time) error {
	const q = `INSERT INTO profile_mutes (profile_id, buyer, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	if _, err := s.writer.ExecContext(ctx, q, profileID, buyer, formatTime(at)); err != nil {
		err = translate(err, text.N("there is no profile %d"), profileID)
		return fmt.Errorf("sqlite: mute %q for profile %d: %w", buyer, profileID, err)
	}
	s.facts.muted(profileID, buyer)
	return nil
}

// MutedBuyers returns the muted buyers of each of the given profiles that
// has any, from what the store remembers (recipients.go), read whole the
// first time.
func (s *Store) MutedBuyers(ctx context.Context, profileIDs []int64) (map[int64][]string, error) {
	muted := map[int64][]string{}
	if len(profileIDs) == 0 || s.facts.mutedBuyers(profileIDs, muted) {
		return muted, nil
	}
	gen := s.facts.begin()
	const q = `SELECT profile_id, buyer FROM profile_mutes ORDER BY profile_id, buyer`
	rows, err := s.reader.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: muted buyers: %w", err)
	}
	defer rows.Close()
	all := map[int64][]string{}
	for rows.Next() {
		var id int64
		var buyer string
		if err := rows.Scan(&id, &buyer); err != nil {
			return nil, fmt.Errorf("sqlite: muted buyers: %w", err)
		}
		all[id] = append(all[id], buyer)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: muted buyers: %w", err)
	}
	s.facts.setMutes(gen, all)
	for _, id := range profileIDs {
		if buyers, ok := all[id]; ok {
			muted[id] = buyers
		}
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
			WHERE profile_id = ? AND kind = ? GROUP BY notice_id
		) AS a ON a.notice_id = n.id
		ORDER BY a.last DESC`
	ns, err := s.queryNotices(ctx, q, profileID, bot.ActionNotRelevant)
	if err != nil {
		return nil, fmt.Errorf("sqlite: not relevant for profile %d: %w", profileID, err)
	}
	return ns, nil
}
