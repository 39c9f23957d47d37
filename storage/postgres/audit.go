package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
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

// appendAudit appends entries to event id's chain, whose newest entry is
// last (zero when the chain is empty), exactly as they are: the hashes were
// computed over these bytes. An entry for another event, or one that does
// not follow on from the one before it by Seq and PrevHash, is refused.
func appendAudit(ctx context.Context, q querier, id int64, last audit.Entry, entries []audit.Entry) error {
	prev := last
	if prev.Seq == 0 {
		prev.Hash = audit.Genesis
	}
	for _, e := range entries {
		switch {
		case e.Event != id:
			return fmt.Errorf("audit entry %d is for event %d", e.Seq, e.Event)
		case e.Seq != prev.Seq+1:
			return fmt.Errorf("audit entry %d does not follow entry %d", e.Seq, prev.Seq)
		case e.PrevHash != prev.Hash:
			return fmt.Errorf("audit entry %d: prev_hash %q is not the hash %q of the entry before it", e.Seq, e.PrevHash, prev.Hash)
		}
		var data any // NULL for nil, so it comes back nil
		if e.Data != nil {
			data = string(e.Data)
		}
		const stmt = `
			INSERT INTO audit_log (event_id, seq, time, action, actor, data, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
		if _, err := q.Exec(ctx, stmt, id, e.Seq, e.Time, e.Action, e.Actor, data, e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
		prev = e
	}
	return nil
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
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(sub.Key()))
	actor = "p-" + hex.EncodeToString(h.Sum(nil)[:16])
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
