package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// PersonalData gathers everything stored about sub.
func (s *Store) PersonalData(ctx context.Context, sub bot.Subscriber) (bot.PersonalData, error) {
	data, err := codec.PersonalData(ctx, personal{s}, sub)
	if err != nil {
		return bot.PersonalData{}, fmt.Errorf("postgres: %w", err)
	}
	return data, nil
}

// personal reads a person's data part by part (codec.PersonalSource).
type personal struct{ *Store }

func (p personal) Follows(ctx context.Context, sub bot.Subscriber) ([]string, error) {
	rows, err := p.pool.Query(ctx, `SELECT notice_id FROM follows WHERE `+subscriberWhere+` ORDER BY created_at`, subscriberArgs(sub)...)
	return collect(rows, err, func(row pgx.Rows) (string, error) { return pgx.RowTo[string](row) })
}

func (p personal) Actions(ctx context.Context, sub bot.Subscriber) ([]bot.ActionLog, error) {
	rows, err := p.pool.Query(ctx, `SELECT kind, profile_id, notice_id, created_at FROM actions WHERE `+subscriberWhere+` ORDER BY id`, subscriberArgs(sub)...)
	return collect(rows, err, func(row pgx.Rows) (bot.ActionLog, error) {
		var a bot.ActionLog
		var at int64
		err := row.Scan(&a.Kind, &a.ProfileID, &a.NoticeID, &at)
		a.At = fromNano(at)
		return a, err
	})
}

func (p personal) Deliveries(ctx context.Context, sub bot.Subscriber) ([]bot.Delivery, error) {
	return p.queryDeliveries(ctx, `SELECT `+deliveryColumns+` FROM outbox AS o WHERE `+subscriberWhere+` ORDER BY o.id`, subscriberArgs(sub)...)
}

func (p personal) Held(ctx context.Context, sub bot.Subscriber) ([]bot.DigestItem, error) {
	return p.queryDigestItems(ctx, subscriberWhere, subscriberArgs(sub)...)
}

func (p personal) Registrations(ctx context.Context, sub bot.Subscriber) ([]bot.Registration, error) {
	return queryRegistrations(ctx, p.pool, subscriberWhere, subscriberArgs(sub)...)
}

func (p personal) Questions(ctx context.Context, sub bot.Subscriber) ([]bot.Question, error) {
	const asker = `asker_platform = $1 AND asker_workspace = $2 AND asker_user_id = $3 AND asker_channel_id = $4`
	return queryQuestions(ctx, p.pool, asker, subscriberArgs(sub)...)
}

func (p personal) Feeds(ctx context.Context, sub bot.Subscriber) ([]bot.Feed, error) {
	const q = `SELECT ` + feedColumns + ` FROM feeds WHERE owner_platform = $1 AND owner_workspace = $2 AND owner_user = $3 AND $4 = '' ORDER BY id`
	rows, err := p.pool.Query(ctx, q, subscriberArgs(sub)...)
	return collect(rows, err, func(row pgx.Rows) (bot.Feed, error) { return scanFeed(row) })
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
		// The bot stays installed in a workspace they added it to; who did
		// is forgotten.
		if _, err := tx.Exec(ctx, `UPDATE installations SET installed_by = '' WHERE platform = $1 AND team = $2 AND installed_by = $3`, sub.Platform, sub.Workspace, sub.User); err != nil {
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
				AND NOT EXISTS (SELECT 1 FROM fanout_kept AS k WHERE k.card_id = c.id)
			LIMIT $2)`, *newest)
		if err != nil {
			return 0, 0, fmt.Errorf("postgres: prune cards: %w", err)
		}
	}
	if err := s.pruneTombstones(ctx); err != nil {
		return 0, 0, err
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
