package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// chatStateBatch is how many expired rows one PutChatState forgets, so
// the table stays as large as the forms being filled in.
const chatStateBatch = 100

// PutChatState keeps value under key until expires, replacing what was
// kept, and forgets a batch of expired rows on the way.
func (s *Store) PutChatState(ctx context.Context, key string, value []byte, expires time.Time) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		const forget = `
			DELETE FROM chat_state WHERE key IN (
				SELECT key FROM chat_state WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`
		if _, err := tx.Exec(ctx, forget, unixNano(s.now()), chatStateBatch); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO chat_state (key, value, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
			key, value, unixNano(expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: keep chat state: %w", err)
	}
	return nil
}

// ChatState returns what is kept under key, unless it expired at now.
func (s *Store) ChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	return s.chatState(ctx, `SELECT value FROM chat_state WHERE key = $1 AND expires_at > $2`, key, now)
}

// TakeChatState returns what is kept under key, unless it expired at now,
// and forgets it in the same statement: of two replicas asking at once,
// one gets it.
func (s *Store) TakeChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	return s.chatState(ctx, `
		WITH taken AS (DELETE FROM chat_state WHERE key = $1 RETURNING value, expires_at)
		SELECT value FROM taken WHERE expires_at > $2`, key, now)
}

func (s *Store) chatState(ctx context.Context, q, key string, now time.Time) ([]byte, bool, error) {
	var value []byte
	err := s.pool.QueryRow(ctx, q, key, unixNano(now)).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("postgres: read chat state: %w", err)
	}
	return value, true, nil
}

// DeleteChatState forgets what is kept under key.
func (s *Store) DeleteChatState(ctx context.Context, key string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM chat_state WHERE key = $1`, key); err != nil {
		return fmt.Errorf("postgres: forget chat state: %w", err)
	}
	return nil
}

// ChatStates returns what is kept under every key that starts with
// prefix, by key, leaving out what expired at now.
func (s *Store) ChatStates(ctx context.Context, prefix string, now time.Time) (map[string][]byte, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, value FROM chat_state WHERE starts_with(key, $1) AND expires_at > $2`, prefix, unixNano(now))
	if err != nil {
		return nil, fmt.Errorf("postgres: list chat state %q: %w", prefix, err)
	}
	kept := map[string][]byte{}
	var key string
	var value []byte
	_, err = pgx.ForEachRow(rows, []any{&key, &value}, func() error {
		kept[key] = value
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list chat state %q: %w", prefix, err)
	}
	return kept, nil
}
