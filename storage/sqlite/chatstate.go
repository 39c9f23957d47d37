package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// chatStateBatch is how many expired rows one PutChatState forgets, so
// the table stays as large as what people are in the middle of.
const chatStateBatch = 100

// PutChatState keeps value under key until expires, replacing what was
// kept, and forgets a batch of expired rows on the way.
func (s *Store) PutChatState(ctx context.Context, key string, value []byte, expires time.Time) error {
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		const forget = `
			DELETE FROM chat_state WHERE key IN (
				SELECT key FROM chat_state WHERE expires_at <= ? LIMIT ?)`
		if _, err := tx.ExecContext(ctx, forget, formatTime(s.clock.Now()), chatStateBatch); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO chat_state (key, value, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
			key, value, formatTime(expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: keep chat state: %w", err)
	}
	return nil
}

// ChatState returns what is kept under key, unless it expired at now.
func (s *Store) ChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	var value []byte
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM chat_state WHERE key = ? AND expires_at > ?`, key, formatTime(now)).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: read chat state: %w", err)
	}
	return value, true, nil
}

// TakeChatState returns what is kept under key, unless it expired at now,
// and forgets it in the same transaction: of two asking at once, one gets
// it.
func (s *Store) TakeChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	var value []byte
	var expires string
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `DELETE FROM chat_state WHERE key = ? RETURNING value, expires_at`, key).Scan(&value, &expires)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: take chat state: %w", err)
	}
	if expires <= formatTime(now) {
		return nil, false, nil
	}
	return value, true, nil
}

// DeleteChatState forgets what is kept under key.
func (s *Store) DeleteChatState(ctx context.Context, key string) error {
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM chat_state WHERE key = ?`, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: forget chat state: %w", err)
	}
	return nil
}

// ChatStates returns what is kept under every key that starts with
// prefix, by key, leaving out what expired at now.
func (s *Store) ChatStates(ctx context.Context, prefix string, now time.Time) (map[string][]byte, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT key, value FROM chat_state
		WHERE substr(key, 1, length(?)) = ? AND expires_at > ?`, prefix, prefix, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list chat state %q: %w", prefix, err)
	}
	defer rows.Close()
	kept := map[string][]byte{}
	for rows.Next() {
		var key string
		var value []byte
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("sqlite: list chat state %q: %w", prefix, err)
		}
		kept[key] = value
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list chat state %q: %w", prefix, err)
	}
	return kept, nil
}
