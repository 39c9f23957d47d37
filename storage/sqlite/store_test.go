package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/storetest"
)

// epoch is the test clock's start: every time the store stamps itself is
// derived from it.
var epoch = time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)

// openTestStore opens a store on a fresh file under t.TempDir(), with a
// clock stopped at epoch, and closes it when the test ends.
func openTestStore(t *testing.T) (*Store, *bottest.Clock) {
	t.Helper()
	return openTestStoreAt(t, filepath.Join(t.TempDir(), "tenderbot.db"))
}

// openTestStoreAt is openTestStore on the database at path.
func openTestStoreAt(t *testing.T, path string) (*Store, *bottest.Clock) {
	t.Helper()
	clock := bottest.NewClock(epoch)
	return openWithClock(t, path, clock), clock
}

// openWithClock opens the store at path on clock, and closes it when the
// test ends.
func openWithClock(t *testing.T, path string, clock bot.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{Clock: clock})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// alice is the person the store's own tests store data for.
var alice = bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-alice"}

// TestStoreContract runs the contract suite every bot.Store passes, each
// test on a fresh database file.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock bot.Clock) bot.Store {
		return openWithClock(t, filepath.Join(t.TempDir(), "tenderbot.db"), clock)
	})
}

// equal fails the test unless got and want are deeply equal, showing both
// with field names.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestOpenSetsPragmas(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	tests := []struct {
		pool   string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "foreign_keys", "1"},
		{"writer", "synchronous", "1"}, // NORMAL
		{"writer", "busy_timeout", "5000"},
		{"writer", "auto_vacuum", "2"}, // INCREMENTAL (vacuum.go)
		{"reader", "journal_mode", "wal"},
		{"reader", "busy_timeout", "5000"},
	}
	for _, tt := range tests {
		t.Run(tt.pool+"/"+tt.pragma, func(t *testing.T) {
			db := s.writer
			if tt.pool == "reader" {
				db = s.reader
			}
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PRAGMA %s: got %q, want %q", tt.pragma, got, tt.want)
			}
		})
	}
}

func TestReaderCannotWrite(t *testing.T) {
	s, _ := openTestStore(t)
	_, err := s.reader.ExecContext(context.Background(), `INSERT INTO feeds (url, created_at) VALUES ('x', 'y')`)
	if err == nil {
		t.Fatal("insert through the reader pool: got no error, want a read-only error")
	}
	if !strings.Contains(err.Error(), "readonly") {
		t.Errorf("insert through the reader pool: got %v, want a read-only error", err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	path := filepath.Join(dir, "tenderbot.db")
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("open in a missing directory: got no error")
	}
	if want := "directory " + dir + " does not exist"; !strings.Contains(err.Error(), want) {
		t.Errorf("open in a missing directory: got %q, want it to contain %q", err, want)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("open in a missing directory created it: stat got %v", err)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	// '?', '#' and '%' mean something in a file: URI; the store must open
	// the file named, not a truncated name with stray parameters.
	dir := filepath.Join(t.TempDir(), "a?b#c%20d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tender bot.db")
	s, _ := openTestStoreAt(t, path)
	if _, err := s.EnsureFeed(context.Background(), "https://feeds.example/a", "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenderbot.db")

	s, err := Open(ctx, path, Options{Clock: bottest.NewClock(epoch)})
	if err != nil {
		t.Fatal(err)
	}
	p := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &p); err != nil {
		t.Fatal(err)
	}
	n := storetest.FullNotice()
	d := bot.Delivery{Key: "k1", To: alice, Purpose: bot.PurposeAlert, Message: bot.Message{Text: "New tender"}, DueAt: epoch}
	if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{Deliveries: []bot.Delivery{d}}); err != nil {
		t.Fatal(err)
	}
	f, err := s.EnsureFeed(ctx, "https://feeds.example/a", "a")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPoll(ctx, f.ID, bot.PollResult{At: epoch, Items: 3}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	s, _ = openTestStoreAt(t, path)
	profiles, err := s.ProfilesAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "profiles after reopen", profiles, []bot.Profile{p})
	got, err := s.Notice(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "notice after reopen", got, n)
	feeds, err := s.ListFeeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.LastPolled, f.LastSuccess, f.Items = epoch, epoch, 3
	equal(t, "feeds after reopen", feeds, []bot.Feed{f})
	due, err := s.DueDeliveries(ctx, []bot.Platform{alice.Platform}, epoch, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Key != "k1" {
		t.Errorf("deliveries after reopen: got %v, want k1", due)
	}
}

// TestWritePanicGivesBackTheWriter panics inside a write transaction: the
// transaction must be rolled back and the writer connection freed, or
// every later write would wait forever.
func TestWritePanicGivesBackTheWriter(t *testing.T) {
	s, _ := openTestStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		write(ctx, s.writer, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (url, created_at) VALUES ('https://feeds.example/a', 'x')`); err != nil {
				t.Fatal(err)
			}
			panic("bug")
		})
	}()
	if _, err := s.EnsureFeed(ctx, "https://feeds.example/b", "b"); err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 || feeds[0].URL != "https://feeds.example/b" {
		t.Errorf("feeds after the panic: %+v, want only b", feeds)
	}
}
