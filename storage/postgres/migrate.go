package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/tenderbot/tenderbot/storage/internal/migration"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migration files.
func migrations() fs.FS {
	return migration.Dir(migrationFiles, "migrations")
}

// loadMigrations reads the NNNN_name.sql files of fsys, in version order.
var loadMigrations = migration.Load

// SchemaTooNewError is the refusal to open a database whose schema a newer
// tenderbot made, naming the version found.
type SchemaTooNewError = migration.TooNewError

// migrate applies the migrations of fsys that the database (its current
// schema) has not had yet, in version order (a gap filled later included), all in one transaction with
// their rows in schema_migrations, and returns the names of those it
// applied. The transaction first takes an advisory lock named after the
// schema, so replicas starting at once apply each migration once: the
// second waits, then finds nothing to do.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, now time.Time) (applied []string, err error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	known := migration.Latest(ms)
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('tenderbot migrate ' || current_schema(), 0))`); err != nil {
			return fmt.Errorf("lock for migrations: %w", err)
		}
		const create = `
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version    INTEGER PRIMARY KEY,
				name       TEXT NOT NULL,
				applied_at BIGINT NOT NULL
			)`
		if _, err := tx.Exec(ctx, create); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var newest *int
		if err := tx.QueryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&newest); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if newest != nil && *newest > known {
			return &SchemaTooNewError{Found: *newest, Known: known}
		}
		// Every version not recorded is applied, not only those above the
		// newest: migration numbers may leave gaps that a later release
		// fills, as on SQLite.
		rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return fmt.Errorf("read applied migrations: %w", err)
		}
		done, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("read applied migrations: %w", err)
		}
		for _, m := range ms {
			if slices.Contains(done, m.Version) {
				continue
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			const record = `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`
			if _, err := tx.Exec(ctx, record, m.Version, m.Name, unixNano(now)); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			applied = append(applied, m.Name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}
