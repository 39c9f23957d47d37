package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tenderbot/tenderbot/bot"
)

// Store is the PostgreSQL implementation of bot.Store. Its methods are safe
// for concurrent use, and several processes may share one database.
type Store struct {
	clock bot.Clock
	pool  *pgxpool.Pool
}

// Options configure Open; the zero Options are the defaults.
type Options struct {
	// Clock stamps the times the store sets itself, as in storage/sqlite;
	// nil means bot.SystemClock.
	Clock bot.Clock
}

var _ bot.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or key=value
// connection string, as libpq takes them: pool_max_conns and the like
// included), checks that the server answers, and brings its schema up to
// date. A database whose schema is newer than this program is refused.
// Errors name the server by host, port, database and user, never the
// password.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	clock := opts.Clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx quotes no part of the URL in a parse error, the password
		// included.
		return nil, fmt.Errorf("postgres: %w", err)
	}
	where := fmt.Sprintf("%s:%d database %q as %q", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, cfg.ConnConfig.User)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach %s: %w", where, err)
	}
	if _, err := migrate(ctx, pool, migrations(), clock.Now().UTC()); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s: %w", where, err)
	}
	return &Store{clock: clock, pool: pool}, nil
}

// Close closes the pool once the calls in flight have returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// now returns the store's current time, in UTC.
func (s *Store) now() time.Time {
	return s.clock.Now().UTC()
}

// querier runs SQL: the pool, or a transaction when several statements
// must commit together.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// write runs fn in a transaction, committing it when fn returns nil and
// rolling it back otherwise (a panic in fn too).
func (s *Store) write(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// affectOne returns pgx.ErrNoRows when an update or delete changed no row,
// so that translate reports it like a query that found none.
func affectOne(tag pgconn.CommandTag, err error) error {
	if err == nil && tag.RowsAffected() == 0 {
		return pgx.ErrNoRows
	}
	return err
}

// translate is the one place PostgreSQL's errors become the core's codes:
// no row is ENOTFOUND, a unique violation ECONFLICT, a foreign key
// violation ENOTFOUND, each with the message format and args make, written
// for the person who will read it: format is a message id of bot/text,
// marked with text.N where it is written, so that the reply is said in the
// reader's language. Any other error is returned as it is, and reads as
// EINTERNAL.
func translate(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.Errorf(bot.ENOTFOUND, format, args...)
	}
	var pgerr *pgconn.PgError
	if errors.As(err, &pgerr) {
		switch pgerr.Code {
		case "23505": // unique_violation
			return bot.Errorf(bot.ECONFLICT, format, args...)
		case "23503": // foreign_key_violation
			return bot.Errorf(bot.ENOTFOUND, format, args...)
		}
	}
	return err
}

// collect reads every row of rows with scan.
func collect[T any](rows pgx.Rows, err error, scan func(pgx.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
