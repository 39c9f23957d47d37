package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
)

// PersonalData gathers everything stored about sub, in one snapshot.
func (s *Store) PersonalData(ctx context.Context, sub bot.Subscriber) (bot.PersonalData, error) {
	data := bot.PersonalData{Subscriber: sub}
	var err error
	fail := func(what string, err error) (bot.PersonalData, error) {
		return bot.PersonalData{}, fmt.Errorf("postgres: personal data of %s: %s: %w", sub.Key(), what, err)
	}
	if data.Roles, err = s.Roles(ctx, sub); err != nil {
		return fail("roles", err)
	}
	if data.Settings, err = s.Settings(ctx, sub); err != nil {
		return fail("settings", err)
	}
	if data.Profiles, err = s.ListProfiles(ctx, sub); err != nil {
		return fail("profiles", err)
	}
	ids := make([]int64, len(data.Profiles))
	for i, p := range data.Profiles {
		ids[i] = p.ID
	}
	muted, err := s.MutedBuyers(ctx, ids)
	if err != nil {
		return fail("mutes", err)
	}
	for _, id := range ids {
		data.Muted = append(data.Muted, muted[id]...)
	}
	rows, err := s.pool.Query(ctx, `SELECT notice_id FROM follows WHERE `+subscriberWhere+` ORDER BY created_at`, subscriberArgs(sub)...)
	if data.Follows, err = collect(rows, err, func(row pgx.Rows) (string, error) { return pgx.RowTo[string](row) }); err != nil {
		return fail("follows", err)
	}
	rows, err = s.pool.Query(ctx, `SELECT kind, profile_id, notice_id, created_at FROM actions WHERE `+subscriberWhere+` ORDER BY id`, subscriberArgs(sub)...)
	data.Actions, err = collect(rows, err, func(row pgx.Rows) (bot.ActionLog, error) {
		var a bot.ActionLog
		var at int64
		err := row.Scan(&a.Kind, &a.ProfileID, &a.NoticeID, &at)
		a.At = fromNano(at)
		return a, err
	})
	if err != nil {
		return fail("actions", err)
	}
	if data.Deliveries, err = s.queryDeliveries(ctx, `SELECT `+deliveryColumns+` FROM outbox AS o WHERE `+subscriberWhere+` ORDER BY o.id`, subscriberArgs(sub)...); err != nil {
		return fail("deliveries", err)
	}
	if data.Held, err = s.queryDigestItems(ctx, subscriberWhere, subscriberArgs(sub)...); err != nil {
		return fail("digest items", err)
	}
	if data.Registrations, err = queryRegistrations(ctx, s.pool, subscriberWhere, subscriberArgs(sub)...); err != nil {
		return fail("event registrations", err)
	}
	const asker = `asker_platform = $1 AND asker_workspace = $2 AND asker_user_id = $3 AND asker_channel_id = $4`
	if data.Questions, err = queryQuestions(ctx, s.pool, asker, subscriberArgs(sub)...); err != nil {
		return fail("event questions", err)
	}
	const owned = `SELECT ` + feedColumns + ` FROM feeds WHERE owner_platform = $1 AND owner_workspace = $2 AND owner_user = $3 AND $4 = '' ORDER BY id`
	rows, err = s.pool.Query(ctx, owned, subscriberArgs(sub)...)
	if data.Feeds, err = collect(rows, err, func(row pgx.Rows) (bot.Feed, error) { return scanFeed(row) }); err != nil {
		return fail("feeds", err)
	}
	return data, nil
}

// Forget erases sub's profiles (with their mutes), follows, clicks, roles,
// settings, held digest items, the deliveries addressed to them, their event
// registrations and their audit pseudonym; it removes them as the asker of
// their questions and as the organizer of their events, and hands the
// feeds they added to the operator, in one transaction. The audit chains
// are not touched: the pseudonym in them now names nobody.
func (s *Store) Forget(ctx context.Context, sub bot.Subscriber) error {
	args := subscriberArgs(sub)
	stmts := []string{
		`DELETE FROM profiles WHERE ` + subscriberWhere, // profile_mutes cascade
		`DELETE FROM follows WHERE ` + subscriberWhere,
		`DELETE FROM actions WHERE ` + subscriberWhere,
		`DELETE FROM subscriber_settings WHERE ` + subscriberWhere,
		`DELETE FROM digest_items WHERE ` + subscriberWhere,
		`DELETE FROM outbox WHERE ` + subscriberWhere,
		`DELETE FROM event_registrations WHERE ` + subscriberWhere,
		`DELETE FROM audit_actors WHERE ` + subscriberWhere,
		`UPDATE event_questions SET asker_platform = '', asker_workspace = '', asker_user_id = '', asker_channel_id = ''
		WHERE asker_platform = $1 AND asker_workspace = $2 AND asker_user_id = $3 AND asker_channel_id = $4`,
		`UPDATE events SET organizer_platform = '', organizer_workspace = '', organizer_user_id = '', organizer_channel_id = ''
		WHERE organizer_platform = $1 AND organizer_workspace = $2 AND organizer_user_id = $3 AND organizer_channel_id = $4`,
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM roles WHERE platform = $1 AND workspace = $2 AND user_id = $3`, sub.Platform, sub.Workspace, sub.User); err != nil {
			return err
		}
		// Channel profiles they made stay the channel's; who made them is
		// forgotten.
		if _, err := tx.Exec(ctx, `UPDATE profiles SET created_by = '' WHERE platform = $1 AND workspace = $2 AND created_by = $3`, sub.Platform, sub.Workspace, sub.User); err != nil {
			return err
		}
		// Roles they granted keep working; who granted them is forgotten.
		if _, err := tx.Exec(ctx, `UPDATE roles SET granted_by = 'forgotten' WHERE granted_by = $1`, sub.Key()); err != nil {
			return err
		}
		// Their feeds keep serving everyone, as the operator's, and stay
		// behind the guard: the platform and workspace stay, the user goes.
		const handOver = `
			UPDATE feeds SET owner_user = '',
				status_reason = CASE WHEN status_reason LIKE 'paused by %' THEN 'paused' ELSE status_reason END
			WHERE owner_platform = $1 AND owner_workspace = $2 AND owner_user = $3`
		_, err := tx.Exec(ctx, handOver, sub.Platform, sub.Workspace, sub.User)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: forget %s: %w", sub.Key(), err)
	}
	return nil
}

// pruneBatch is how many rows one statement of the retention job changes:
// small enough that no fan-out waits on its row locks for long.
const pruneBatch = 2000

// Prune deletes finished deliveries created before t, empties the texts of
// notices first seen before t, and deletes the cards no delivery or digest
// item references any more, each in batches of pruneBatch rows.
// PostgreSQL's autovacuum makes the space reusable.
func (s *Store) Prune(ctx context.Context, before time.Time) (deliveries, notices int, err error) {
	stamp := unixNano(before)
	steps := []struct {
		count *int
		q     string
	}{
		{&deliveries, `DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'cancelled') AND created_at < $1 LIMIT $2)`},
		{&notices, `UPDATE notices SET description = '' WHERE seq IN (
			SELECT seq FROM notices WHERE first_seen < $1 AND description <> '' LIMIT $2)`},
	}
	for _, step := range steps {
		if *step.count, err = s.inBatches(ctx, step.q, stamp); err != nil {
			return 0, 0, fmt.Errorf("postgres: prune before %s: %w", before.UTC().Format(time.RFC3339), err)
		}
	}
	// Only cards stored before this pass are candidates: a card is
	// referenced only by rows written in its own transaction, which may be
	// running now.
	var newest *int64
	if err := s.pool.QueryRow(ctx, `SELECT MAX(id) FROM cards`).Scan(&newest); err != nil {
		return 0, 0, fmt.Errorf("postgres: prune cards: %w", err)
	}
	if newest != nil {
		_, err := s.inBatches(ctx, `DELETE FROM cards WHERE id IN (
			SELECT c.id FROM cards AS c WHERE c.id <= $1
				AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.card_id = c.id)
				AND NOT EXISTS (SELECT 1 FROM digest_items AS d WHERE d.card_id = c.id)
			LIMIT $2)`, *newest)
		if err != nil {
			return 0, 0, fmt.Errorf("postgres: prune cards: %w", err)
		}
	}
	return deliveries, notices, nil
}

// inBatches runs q, a change of at most $2 (pruneBatch) rows after its
// argument $1, one statement at a time until it changes no more, and
// returns how many rows it changed.
func (s *Store) inBatches(ctx context.Context, q string, arg any) (int, error) {
	total := 0
	for {
		tag, err := s.pool.Exec(ctx, q, arg, pruneBatch)
		if err != nil {
			return total, err
		}
		n := int(tag.RowsAffected())
		total += n
		if n < pruneBatch {
			return total, nil
		}
	}
}
