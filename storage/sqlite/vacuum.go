package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// The file is kept in auto_vacuum=INCREMENTAL mode, so that the pages the
// retention job frees go back to the file system a few at a time
// (vacuumFree) instead of staying in the file for ever: a day of alerts
// pruned is a day of file returned, and the file stops growing at the size
// its retention period holds.
//
// SQLite takes the mode from a file only while nothing is written in it,
// or by a VACUUM, which rewrites it whole. A new file gets it before the
// first migration (a VACUUM of an empty file); a file made before this
// mode was used is rewritten once, at the first Open that finds it
// without: that takes about as long as a
// backup, holds the file for that long, and needs as much free disk as
// the file takes.

// autoVacuumIncremental is PRAGMA auto_vacuum's value for INCREMENTAL.
const autoVacuumIncremental = 2

// useIncrementalVacuum puts the database of db, the writer, into
// incremental vacuum mode, rewriting it once when it already has tables.
func useIncrementalVacuum(ctx context.Context, db *sql.DB) error {
	var mode int
	if err := db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return fmt.Errorf("read auto_vacuum: %w", err)
	}
	if mode == autoVacuumIncremental {
		return nil
	}
	// The pragma and the VACUUM that applies it must run on one
	// connection; the writer has only one, but a Conn says so.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return fmt.Errorf("set auto_vacuum: %w", err)
	}
	// Even a file without tables needs it: switching to WAL, at connect,
	// has written its first page already.
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("rewrite the file for incremental vacuum: %w", err)
	}
	return nil
}

// vacuumStep is how many free pages one write of vacuumFree returns to
// the file system: 2 MB of 4 KB pages, a few milliseconds of the writer.
const vacuumStep = 512

// vacuumFree returns the file's free pages to the file system, vacuumStep
// at a time, each step its own write, so a fan-out waiting for the writer
// goes between two steps. It returns how many pages it freed.
func (s *Store) vacuumFree(ctx context.Context) (int, error) {
	total := 0
	for {
		var before, after int
		err := write(ctx, s.writer, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&before); err != nil || before == 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA incremental_vacuum(%d)`, vacuumStep)); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&after)
		})
		if err != nil {
			return total, fmt.Errorf("incremental vacuum: %w", err)
		}
		total += before - after
		if after == 0 || after >= before {
			return total, nil
		}
	}
}
