package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// readConns bounds the reader pool. Each connection has its own page cache,
// and the bot's reads are short: a few are plenty.
const readConns = 4

// Connection parameters, read by modernc.org/sqlite (the _ keys) and by
// SQLite itself (mode). busy_timeout comes first in both: it must be in
// force before anything else can meet a lock.
const (
	// The writer converts the file to WAL (a persistent setting), checks
	// foreign keys, and begins every transaction IMMEDIATE so that it takes
	// the write lock up front instead of failing to upgrade a read lock
	// halfway through. synchronous=NORMAL is durable in WAL mode except for
	// the last transactions before a power cut, which the feeds bring back.
	// Its page cache is SQLite's default, about 2 MB: a fan-out appends
	// rows and index entries in key order, so its writes touch few pages,
	// and the bot's reads go to the readers. A larger cache costs at every
	// commit, when SQLite walks the whole cache's hash table to drop pages
	// past the end of the file: at 64 MiB that was a tenth of the writer's
	// time in a fan-out, more than the reads it saved. Statement journals
	// (a multi-row INSERT's undo within its transaction) stay in memory
	// (temp_store) instead of a temporary file. The log is copied into the
	// file (a checkpoint, which waits for the disk) every 10,000 pages,
	// about 40 MB, not SQLite's 1,000: a fan-out rewrites the same pages
	// at its insertion points, so a checkpoint copies each once for many
	// commits, and the writer waits for the disk a tenth as often. Keep
	// floorParams in cmd/tenderbot/bench_floor.go the same.
	writerParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-2000)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate"
	// Readers cannot write at all, whatever SQL they are given.
	readerParams = "mode=ro&_pragma=busy_timeout(5000)"
)

// Store is the SQLite implementation of bot.Store. Its methods are safe for
// concurrent use.
type Store struct {
	clock  bot.Clock
	writer *sql.DB // one connection: writes queue here, never in SQLite
	reader *sql.DB // read-only connections
	recent *recentAlerts
	facts  *recipientFacts
	bulk   *bulkStatements // the fan-out's inserts, prepared on writer
}

// Options configure Open; the zero Options are the defaults.
type Options struct {
	// Clock stamps the times the store sets itself: when a notice was first
	// seen and last updated, when a profile, feed or delivery was created,
	// the due time of a delivery enqueued without one, and when a migration
	// was applied. It is given at Open, before anything is stamped, so that
	// a test with a fixed clock sees the same times on every run; nil means
	// bot.SystemClock.
	Clock bot.Clock
}

var _ bot.Store = (*Store)(nil)

// Open opens the database at path, creating the file if needed, and brings
// its schema up to date. The directory must exist: a mistyped path fails
// here instead of scattering databases around the disk.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	clock := opts.Clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	dir := filepath.Dir(abs)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("sqlite: open %s: directory %s does not exist", path, dir)
	case err != nil:
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("sqlite: open %s: %s is not a directory", path, dir)
	}

	writer, err := openWriter(ctx, abs, clock.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The readers open only now: mode=ro can neither create the file nor
	// switch it to WAL, and both are done.
	reader, err := openReader(ctx, abs)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	recent, err := loadRecentAlerts(ctx, reader, clock.Now())
	if err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	bulk, err := prepareBulk(ctx, writer)
	if err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &Store{clock: clock, writer: writer, reader: reader, recent: recent, facts: newRecipientFacts(recipientsCap), bulk: bulk}, nil
}

// openWriter opens the writer pool on the database file abs and brings the
// schema up to date, recording now as the time of the migrations it applies.
func openWriter(ctx context.Context, abs string, now time.Time) (*sql.DB, error) {
	db, err := sql.Open("sqlite", uri(abs, writerParams))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	err = checkJournalMode(ctx, db)
	if err == nil {
		err = useIncrementalVacuum(ctx, db)
	}
	if err == nil {
		_, err = migrate(ctx, db, migrations(), now)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openReader opens the read-only pool on the database file abs.
func openReader(ctx context.Context, abs string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", uri(abs, readerParams))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(readConns)
	db.SetMaxIdleConns(readConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// uri returns the "file:" URI of the database at the absolute path abs.
// SQLite decodes %HH escapes in it, and the driver splits the name at the
// first '?', so those characters in the path are escaped.
func uri(abs, params string) string {
	path := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(abs))
	return "file:" + path + "?" + params
}

// checkJournalMode fails unless the database is in WAL mode. SQLite quietly
// keeps the old mode where WAL is impossible (some network file systems),
// and readers would then block the writer.
func checkJournalMode(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal (is the file on a local disk?)", mode)
	}
	return nil
}

// Close closes both pools. In-flight calls finish first.
func (s *Store) Close() error {
	// Readers first: the writer, closing last, checkpoints the WAL and
	// removes it.
	rerr := s.reader.Close()
	berr := s.bulk.close()
	werr := s.writer.Close()
	if err := errors.Join(rerr, berr, werr); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// now returns the store's current time, in UTC.
func (s *Store) now() time.Time {
	return s.clock.Now().UTC()
}

// querier runs SQL: a *sql.DB, or a *sql.Tx when several statements must
// commit together.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a transaction on the writer connection, committing it when
// fn returns nil and rolling it back otherwise. fn must run every statement
// on tx: the writer has a single connection, which tx holds. A panic in fn
// rolls the transaction back before it goes on up: left open, it would hold
// the writer connection, and every later write would wait for it forever.
func write(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// Rolls back when fn panics; after Commit or Rollback it does nothing.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	return tx.Commit()
}

// affectOne returns sql.ErrNoRows when an update or delete changed no row,
// so that translate reports it like a query that found none.
func affectOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// translate is the one place SQLite's errors become the core's codes, so
// every method reports the conditions a person can cause alike: no row is
// ENOTFOUND, a unique-constraint violation is ECONFLICT, each with the
// message format and args make, written for the person who will read it:
// format is a message id of bot/text, marked with text.N where it is
// written, so that the reply is said in the reader's language. Any other
// error is returned as it is, and reads as EINTERNAL.
func translate(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Errorf(bot.ENOTFOUND, format, args...)
	}
	var serr *driver.Error
	if errors.As(err, &serr) {
		switch serr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return bot.Errorf(bot.ECONFLICT, format, args...)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return bot.Errorf(bot.ENOTFOUND, format, args...)
		}
	}
	return err
}
