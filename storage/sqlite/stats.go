package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
)

// Stats counts what an operator watches: profiles, and the deliveries
// waiting in the outbox with the due time of the oldest.
func (s *Store) Stats(ctx context.Context) (bot.StoreStats, error) {
	var st bot.StoreStats
	var oldest sql.NullString
	const q = `
		SELECT
			(SELECT COUNT(*) FROM profiles),
			(SELECT COUNT(*) FROM notices),
			(SELECT COUNT(*) FROM outbox WHERE status = ?),
			(SELECT MIN(` + dueAt + `) FROM outbox WHERE status = ?)`
	err := s.reader.QueryRowContext(ctx, q, bot.StatusPending, bot.StatusPending).
		Scan(&st.Profiles, &st.Notices, &st.Pending, &oldest)
	if err != nil {
		return bot.StoreStats{}, fmt.Errorf("sqlite: stats: %w", err)
	}
	if st.OldestDue, err = parseNullTime(oldest); err != nil {
		return bot.StoreStats{}, fmt.Errorf("sqlite: stats: oldest due: %w", err)
	}
	return st, nil
}

// Backup writes a consistent copy of the database to path, which must not
// exist, while the bot may go on writing: VACUUM INTO reads one snapshot.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := s.reader.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}
