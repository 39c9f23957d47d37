package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// auditColumns are the columns scanAuditEntry reads, in its order.
const auditColumns = `seq, time, event_id, action, actor, data, prev_hash, hash`

// scanAuditEntry reads one row of auditColumns.
func scanAuditEntry(row scanner) (audit.Entry, error) {
	var (
		e    audit.Entry
		data sql.NullString
	)
	if err := row.Scan(&e.Seq, &e.Time, &e.Event, &e.Action, &e.Actor, &data, &e.PrevHash, &e.Hash); err != nil {
		return audit.Entry{}, err
	}
	if data.Valid {
		e.Data = json.RawMessage(data.String)
	}
	return e, nil
}

// AuditLog returns event eventID's audit chain, oldest entry first; none
// when the event has none, or there is no such event.
func (s *Store) AuditLog(ctx context.Context, eventID int64) ([]audit.Entry, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE event_id = ? ORDER BY seq`, eventID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit log of event %d: %w", eventID, err)
	}
	defer rows.Close()
	var log []audit.Entry
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: audit log of event %d: %w", eventID, err)
		}
		log = append(log, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: audit log of event %d: %w", eventID, err)
	}
	return log, nil
}

// AuditActors returns the pseudonym of each subscriber in subs, creating
// the missing ones in one transaction: "p-" and the first 32 hex digits of
// SHA-256(salt || subscriber key), with 16 fresh random bytes of salt each.
// A pseudonym never changes while its row exists; Forget deletes the row,
// after which the person gets a new, unrelated one.
func (s *Store) AuditActors(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]string, error) {
	actors := make(map[bot.Subscriber]string, len(subs))
	if len(subs) == 0 {
		return actors, nil
	}
	now := formatTime(s.now())
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
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
		return nil, fmt.Errorf("sqlite: audit actors: %w", err)
	}
	return actors, nil
}

// auditActor returns sub's pseudonym, creating it if it has none.
func auditActor(ctx context.Context, q querier, sub bot.Subscriber, now string) (string, error) {
	var actor string
	err := q.QueryRowContext(ctx, `SELECT actor FROM audit_actors WHERE `+subscriberWhere, subscriberArgs(sub)...).Scan(&actor)
	if !errors.Is(err, sql.ErrNoRows) {
		return actor, err // found, or failed
	}
	actor, salt, err := codec.NewPseudonym(sub)
	if err != nil {
		return "", err
	}
	const insert = `
		INSERT INTO audit_actors (actor, platform, workspace, user_id, channel_id, salt, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	_, err = q.ExecContext(ctx, insert, actor, sub.Platform, sub.Workspace, sub.User, sub.Channel, salt, now)
	return actor, err
}
