package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// subscriberWhere matches the four subscriber columns of a table.
const subscriberWhere = `platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?`

func subscriberArgs(sub bot.Subscriber) []any {
	return []any{sub.Platform, sub.Workspace, sub.User, sub.Channel}
}

// PersonalData gathers everything stored about sub.
func (s *Store) PersonalData(ctx context.Context, sub bot.Subscriber) (bot.PersonalData, error) {
	data, err := codec.PersonalData(ctx, personal{s}, sub)
	if err != nil {
		return bot.PersonalData{}, fmt.Errorf("sqlite: %w", err)
	}
	return data, nil
}

// personal reads a person's data part by part (codec.PersonalSource).
type personal struct{ *Store }

func (p personal) Follows(ctx context.Context, sub bot.Subscriber) ([]string, error) {
	return p.column(ctx, `SELECT notice_id FROM follows WHERE `+subscriberWhere+` ORDER BY created_at`, subscriberArgs(sub)...)
}

func (p personal) Actions(ctx context.Context, sub bot.Subscriber) ([]bot.ActionLog, error) {
	return p.actionLog(ctx, sub)
}

func (p personal) Deliveries(ctx context.Context, sub bot.Subscriber) ([]bot.Delivery, error) {
	return p.deliveriesTo(ctx, sub)
}

func (p personal) Held(ctx context.Context, sub bot.Subscriber) ([]bot.DigestItem, error) {
	return p.queryDigestItems(ctx, subscriberWhere, subscriberArgs(sub)...)
}

func (p personal) Registrations(ctx context.Context, sub bot.Subscriber) ([]bot.Registration, error) {
	return queryRegistrations(ctx, p.reader, subscriberWhere, subscriberArgs(sub)...)
}

func (p personal) Questions(ctx context.Context, sub bot.Subscriber) ([]bot.Question, error) {
	const asker = `asker_platform = ? AND asker_workspace = ? AND asker_user_id = ? AND asker_channel_id = ?`
	return queryQuestions(ctx, p.reader, asker, subscriberArgs(sub)...)
}

func (p personal) Feeds(ctx context.Context, sub bot.Subscriber) ([]bot.Feed, error) {
	feeds, err := p.ListFeeds(ctx)
	if err != nil {
		return nil, err
	}
	var owned []bot.Feed
	for _, f := range feeds {
		if f.Owner == sub {
			owned = append(owned, f)
		}
	}
	return owned, nil
}

// column returns the one column q selects.
func (s *Store) column(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) actionLog(ctx context.Context, sub bot.Subscriber) ([]bot.ActionLog, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT kind, profile_id, notice_id, created_at FROM actions WHERE `+subscriberWhere+` ORDER BY id`, subscriberArgs(sub)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var log []bot.ActionLog
	for rows.Next() {
		var a bot.ActionLog
		var at string
		if err := rows.Scan(&a.Kind, &a.ProfileID, &a.NoticeID, &at); err != nil {
			return nil, err
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, err
		}
		log = append(log, a)
	}
	return log, rows.Err()
}

func (s *Store) deliveriesTo(ctx context.Context, sub bot.Subscriber) ([]bot.Delivery, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM outbox WHERE `+subscriberWhere+` ORDER BY id`, subscriberArgs(sub)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cards := cardCache{}
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, cards)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// Forget erases sub's profiles (with their mutes), follows, clicks, roles,
// settings, held digest items, the deliveries addressed to them, their event
// registrations and their audit pseudonym; it removes them as the asker of
// their questions (which stay, unsigned, in the events' public Q&A) and as
// the organizer of their events, and hands the feeds they added to the
// operator, in one transaction. The audit chains are not touched: the
// pseudonym in them now names nobody.
func (s *Store) Forget(ctx context.Context, sub bot.Subscriber) error {
	defer s.facts.forgetAll()
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
		WHERE asker_platform = ? AND asker_workspace = ? AND asker_user_id = ? AND asker_channel_id = ?`,
		`UPDATE events SET organizer_platform = '', organizer_workspace = '', organizer_user_id = '', organizer_channel_id = ''
		WHERE organizer_platform = ? AND organizer_workspace = ? AND organizer_user_id = ? AND organizer_channel_id = ?`,
	}
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM roles WHERE platform = ? AND workspace = ? AND user_id = ?`, sub.Platform, sub.Workspace, sub.User); err != nil {
			return err
		}
		// Channel profiles they made stay the channel's; who made them is
		// forgotten.
		if _, err := tx.ExecContext(ctx, `UPDATE profiles SET created_by = '' WHERE platform = ? AND workspace = ? AND created_by = ?`, sub.Platform, sub.Workspace, sub.User); err != nil {
			return err
		}
		// Roles they granted keep working; who granted them is forgotten.
		if _, err := tx.ExecContext(ctx, `UPDATE roles SET granted_by = 'forgotten' WHERE granted_by = ?`, sub.Key()); err != nil {
			return err
		}
		// The bot stays installed in a workspace they added it to; who did
		// is forgotten.
		if _, err := tx.ExecContext(ctx, `UPDATE installations SET installed_by = '' WHERE platform = ? AND team = ? AND installed_by = ?`, sub.Platform, sub.Workspace, sub.User); err != nil {
			return err
		}
		// Their feeds keep serving everyone, as the operator's, and stay
		// behind the guard: the platform and workspace stay, the user goes.
		const handOver = `
			UPDATE feeds SET owner_user = '',
				status_reason = CASE WHEN status_reason LIKE 'paused by %' THEN 'paused' ELSE status_reason END
			WHERE owner_platform = ? AND owner_workspace = ? AND owner_user = ?`
		_, err := tx.ExecContext(ctx, handOver, sub.Platform, sub.Workspace, sub.User)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: forget %s: %w", sub.Key(), err)
	}
	s.recent.forget(sub)
	return nil
}
