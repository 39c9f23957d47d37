package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// store is what the commands need of a store: the core's ports, the
// workspaces a distributed Slack app is installed in, and closing it when
// they are done.
type store interface {
	bot.Store
	install.Store
	Close() error
}

// usesPostgres reports whether the configuration names a PostgreSQL
// database instead of the SQLite file.
func (c Config) usesPostgres() bool {
	return c.DatabaseURL != ""
}

// databaseName names the configured database for a person: the SQLite file,
// or the PostgreSQL URL without its password.
func (c Config) databaseName() string {
	if c.usesPostgres() {
		return feeds.Redact(c.DatabaseURL)
	}
	return c.DB
}

// openStore opens the store the configuration names: PostgreSQL at
// TENDERBOT_DATABASE_URL when it is set, the SQLite file TENDERBOT_DB
// otherwise. existing refuses to create a SQLite file that is not there
// (commands that read a deployment, not start one). Every command that
// opens a store opens it here.
func openStore(ctx context.Context, cfg Config, existing bool) (store, error) {
	if cfg.usesPostgres() {
		s, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{})
		if err != nil {
			// pgx masks a password it quotes, and postgres.Open names the
			// server by host, database and user only.
			return nil, fmt.Errorf("database %s: %w", cfg.databaseName(), err)
		}
		return s, nil
	}
	if existing {
		if _, err := os.Stat(cfg.DB); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist (TENDERBOT_DB)", cfg.DB)
		} else if err != nil {
			return nil, fmt.Errorf("database %s: %w", cfg.DB, err)
		}
	}
	s, err := sqlite.Open(ctx, cfg.DB, sqlite.Options{})
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", cfg.DB, err)
	}
	return s, nil
}

// checkDatabaseURL checks that u is a PostgreSQL URL, when set.
func checkDatabaseURL(u string) error {
	if u == "" || strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		return nil
	}
	return fmt.Errorf("%s is not a PostgreSQL URL; write postgres://user:password@host:5432/database?sslmode=require, or leave it unset for SQLite (TENDERBOT_DB)", feeds.Redact(u))
}
