package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/tenderbot/tenderbot/storage/internal/migration"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migration files.
func migrations() fs.FS {
	return migration.Dir(migrationFiles, "migrations")
}

// loadMigrations reads the NNNN_name.sql files of fsys, in version order.
var loadMigrations = migration.Load

// migrate applies the migrations of fsys that db has not had yet, in
// version order, each in its own transaction together with its row in
// schema_migrations, and returns the names of those it applied. Whether a
// migration is due is decided inside its transaction, so two processes
// opening one database at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, now time.Time) (applied []string, err error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	const create = `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}

	// A database migrated by a newer tenderbot has a schema this one does
	// not know; writing to it could lose data.
	var newest sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	if known := migration.Latest(ms); newest.Valid && int(newest.Int64) > known {
		return nil, &migration.TooNewError{Found: int(newest.Int64), Known: known}
	}

	for _, m := range ms {
		var done bool
		err := write(ctx, db, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, m.Version).Scan(&done)
			if err != nil || done {
				return err
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, formatTime(now))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if !done {
			applied = append(applied, m.Name)
		}
	}
	return applied, nil
}
