package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// printVersion prints the module version and the build's VCS information.
func printVersion(w io.Writer) error {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return errors.New("version: this binary carries no build information")
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	fmt.Fprintf(w, "tenderbot %s\n", version)
	fmt.Fprintf(w, "module    %s\n", info.Main.Path)
	fmt.Fprintf(w, "go        %s\n", info.GoVersion)
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified", "GOOS", "GOARCH", "CGO_ENABLED":
			fmt.Fprintf(w, "%-9s %s\n", s.Key, s.Value)
		}
	}
	return nil
}

// runBackup writes a consistent copy of the configured database to the
// path given, while the bot may be running.
func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "" {
		return errors.New("backup: give the path of the copy to write, e.g. tenderbot backup /var/backups/tenderbot-2026-11-26.db")
	}
	path := args[0]
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file, a backup never overwrites", path)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	if cfg.usesPostgres() {
		return fmt.Errorf("backup: the database is PostgreSQL (%s); back it up with pg_dump, e.g. pg_dump --format=custom --file=tenderbot.dump \"$TENDERBOT_DATABASE_URL\"", cfg.databaseName())
	}
	opened, err := openStore(ctx, cfg, true)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer opened.Close()
	store, ok := opened.(*sqlite.Store)
	if !ok {
		return fmt.Errorf("backup: %s is no SQLite database", cfg.databaseName())
	}
	if err := store.Backup(ctx, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "tenderbot: backed up %s to %s\n", cfg.DB, path)
	return nil
}

// newLogger returns a logger writing to w in the given format: text for a
// person at a terminal, JSON for a log collector; "auto" picks by whether w
// is a terminal.
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}
	if format == "json" || (format == "auto" && !isTerminal(w)) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// redactAttr redacts every URL in a log attribute, the message included, as
// feed URLs are: whatever part of the bot logs a URL (an API base, a feed,
// an error quoting one), its user name, password and token-like query
// values never reach the log.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); strings.Contains(s, "://") {
			a.Value = slog.StringValue(feeds.RedactText(s))
		}
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			if s := err.Error(); strings.Contains(s, "://") {
				a.Value = slog.StringValue(feeds.RedactText(s))
			}
		}
	}
	return a
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
