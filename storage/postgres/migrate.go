package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migration files.
func migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded; it cannot be missing
	}
	return sub
}

// A migration is one NNNN_name.sql file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the NNNN_name.sql files at the root of fsys, in
// version order. Any other file, or two files with one version, is an
// error: a migration that is silently skipped is worse than one that fails.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, rest, _ := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		version, err := strconv.Atoi(num)
		if e.IsDir() || !strings.HasSuffix(name, ".sql") || len(num) != 4 || err != nil || version < 1 || rest == "" {
			return nil, fmt.Errorf("migration %q: want a file named NNNN_name.sql, NNNN from 0001", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q have the same version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaTooNewError is the error of opening a database whose schema a newer
// tenderbot made: this one does not know it, and writing to it could lose
// data.
type SchemaTooNewError struct {
	Found, Known int
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this program's %d: upgrade tenderbot", e.Found, e.Known)
}

// migrate applies the migrations of fsys that the database (its current
// schema) has not had yet, in version order, all in one transaction with
// their rows in schema_migrations, and returns the names of those it
// applied. The transaction first takes an advisory lock named after the
// schema, so replicas starting at once apply each migration once: the
// second waits, then finds nothing to do.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, now time.Time) (applied []string, err error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
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
		for _, m := range ms {
			if newest != nil && m.version <= *newest {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			const record = `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`
			if _, err := tx.Exec(ctx, record, m.version, m.name, unixNano(now)); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			applied = append(applied, m.name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}
