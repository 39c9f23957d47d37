package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// auditColumns are the columns scanAuditEntry reads, in its order.
const auditColumns = `seq, time, event_id, action, actor, data, prev_hash, hash`

// scanAuditEntry reads one row of auditColumns.
func scanAuditEntry(row pgx.Row) (audit.Entry, error) {
	var (
		e    audit.Entry
		data *string
	)
	if err := row.Scan(&e.Seq, &e.Time, &e.Event, &e.Action, &e.Actor, &data, &e.PrevHash, &e.Hash); err != nil {
		return audit.Entry{}, err
	}
	if data != nil {
		e.Data = json.RawMessage(*data)
	}
	return e, nil
}

// AuditLog returns event eventID's audit chain, oldest entry first; none
// when the event has none, or there is no such event.
func (s *Store) AuditLog(ctx context.Context, eventID int64) ([]audit.Entry, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE event_id = $1 ORDER BY seq`, eventID)
	log, err := collect(rows, err, func(row pgx.Rows) (audit.Entry, error) { return scanAuditEntry(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log of event %d: %w", eventID, err)
	}
	return log, nil
}

// AuditActors returns the pseudonym of each subscriber in subs, creating
// the missing ones in one transaction: "p-" and the first 32 hex digits of
// SHA-256(salt || subscriber key), with 16 fresh random bytes of salt each.
// Two processes making one person's pseudonym at once agree on one: the
// insert that loses the race finds the winner's row.
func (s *Store) AuditActors(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]string, error) {
	actors := make(map[bot.Subscriber]string, len(subs))
	if len(subs) == 0 {
		return actors, nil
	}
	now := unixNano(s.now())
	err := s.write(ctx, func(tx pgx.Tx) error {
		for _, sub := range subs {
			if _, ok := actors[sub]; ok {
				continue
			}
			actor, err := auditActor(ctx, tx, sub, now)
			if err != nil {
				return fmt.Errorf("%s: %w", sub.Key(), err)
			}
			actors[sub] = actor
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: audit actors: %w", err)
	}
	return actors, nil
}

// auditActor returns sub's pseudonym, creating it if it has none.
func auditActor(ctx context.Context, q querier, sub bot.Subscriber, now int64) (string, error) {
	var actor string
	err := q.QueryRow(ctx, `SELECT actor FROM audit_actors WHERE `+subscriberWhere, subscriberArgs(sub)...).Scan(&actor)
	if !errors.Is(err, pgx.ErrNoRows) {
		return actor, err // found, or failed
	}
	actor, salt, err := codec.NewPseudonym(sub)
	if err != nil {
		return "", err
	}
	const insert = `
		INSERT INTO audit_actors (actor, platform, workspace, user_id, channel_id, salt, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (platform, workspace, user_id, channel_id) DO NOTHING`
	tag, err := q.Exec(ctx, insert, actor, sub.Platform, sub.Workspace, sub.User, sub.Channel, salt, now)
	if err != nil || tag.RowsAffected() == 1 {
		return actor, err
	}
	err = q.QueryRow(ctx, `SELECT actor FROM audit_actors WHERE `+subscriberWhere, subscriberArgs(sub)...).Scan(&actor)
	return actor, err
}
