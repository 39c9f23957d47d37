package postgres

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/storage/internal/migration"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// rawPool opens a bare pool on url, for testing migrate on its own.
func rawPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestEmbeddedMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	s := openAt(t, url, bottest.NewClock(epoch))
	ms, err := loadMigrations(migrations())
	if err != nil {
		t.Fatal(err)
	}
	var recorded, stamped int64
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*), MAX(applied_at) FROM schema_migrations`).Scan(&recorded, &stamped); err != nil {
		t.Fatal(err)
	}
	if int(recorded) != len(ms) || stamped != epoch.UnixNano() {
		t.Errorf("schema_migrations: got %d rows stamped %d, want %d stamped %d", recorded, stamped, len(ms), epoch.UnixNano())
	}
	applied, err := migrate(ctx, s.pool, migrations(), epoch)
	if err != nil || len(applied) != 0 {
		t.Errorf("migrating an up-to-date database: applied %v, %v; want nothing", applied, err)
	}
}

func TestOlderDatabaseMigratesForward(t *testing.T) {
	ctx := context.Background()
	pool := rawPool(t, pgtest.URL(t))
	v1 := fstest.MapFS{"0001_first.sql": {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)}}
	v2 := fstest.MapFS{
		"0001_first.sql":  v1["0001_first.sql"],
		"0002_second.sql": {Data: []byte(`ALTER TABLE a ADD COLUMN y INTEGER NOT NULL DEFAULT 2;`)},
	}
	if applied, err := migrate(ctx, pool, v1, epoch); err != nil || strings.Join(applied, ",") != "0001_first.sql" {
		t.Fatalf("first migration: applied %v, %v", applied, err)
	}
	applied, err := migrate(ctx, pool, v2, epoch)
	if err != nil || strings.Join(applied, ",") != "0002_second.sql" {
		t.Fatalf("the newer program on the older database: applied %v, %v; want 0002_second.sql only", applied, err)
	}
	var x, y int
	if err := pool.QueryRow(ctx, `SELECT x, y FROM a`).Scan(&x, &y); err != nil || x != 1 || y != 2 {
		t.Errorf("data after migrating forward: got %d, %d, %v; want 1, 2", x, y, err)
	}
}

// A release may add a migration whose number a gap left free: a database
// already past it still gets it.
func TestMigrationFillingAGapIsApplied(t *testing.T) {
	ctx := context.Background()
	pool := rawPool(t, pgtest.URL(t))
	first := fstest.MapFS{
		"0001_first.sql": {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)},
		"0003_third.sql": {Data: []byte(`ALTER TABLE a ADD COLUMN z INTEGER NOT NULL DEFAULT 3;`)},
	}
	if _, err := migrate(ctx, pool, first, epoch); err != nil {
		t.Fatal(err)
	}
	filled := fstest.MapFS{
		"0001_first.sql":  first["0001_first.sql"],
		"0002_second.sql": {Data: []byte(`ALTER TABLE a ADD COLUMN y INTEGER NOT NULL DEFAULT 2;`)},
		"0003_third.sql":  first["0003_third.sql"],
	}
	applied, err := migrate(ctx, pool, filled, epoch)
	if err != nil || strings.Join(applied, ",") != "0002_second.sql" {
		t.Fatalf("the release filling the gap: applied %v, %v; want 0002_second.sql only", applied, err)
	}
	var x, y, z int
	if err := pool.QueryRow(ctx, `SELECT x, y, z FROM a`).Scan(&x, &y, &z); err != nil || x != 1 || y != 2 || z != 3 {
		t.Errorf("data after filling the gap: got %d, %d, %d, %v; want 1, 2, 3", x, y, z, err)
	}
}

func TestNewerSchemaIsRefusedNamingTheVersion(t *testing.T) {
	url := pgtest.URL(t)
	s := openAt(t, url, bottest.NewClock(epoch))
	ms, _ := loadMigrations(migrations())
	known := ms[len(ms)-1].Version
	pgtest.Exec(t, url, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`)
	s.Close()

	_, err := Open(context.Background(), url, Options{})
	var tooNew *SchemaTooNewError
	if !errors.As(err, &tooNew) || tooNew.Found != 9999 || tooNew.Known != known {
		t.Fatalf("open a database of schema 9999: got %v, want a SchemaTooNewError for 9999 and %d", err, known)
	}
	for _, want := range []string{"version 9999", "upgrade tenderbot"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
}

func TestReplicasOpeningTogetherMigrateOnce(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), url, Options{})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	s := openAt(t, url, nil)
	var rows int
	if err := s.pool.QueryRow(context.Background(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if ms, _ := loadMigrations(migrations()); rows != len(ms) {
		t.Errorf("schema_migrations after three replicas opened at once: %d rows, want %d", rows, len(ms))
	}
}

func TestUnreachableServerIsNamedWithoutThePassword(t *testing.T) {
	// Port 1 on loopback: nothing listens, so the connection is refused at
	// once. No server is needed for this test.
	url := "postgres://tenderbot:s3cret-pw@127.0.0.1:1/tenderbot?sslmode=disable&connect_timeout=3"
	_, err := Open(context.Background(), url, Options{})
	if err == nil {
		t.Fatal("open on a closed port: got no error")
	}
	msg := err.Error()
	if strings.Contains(msg, "s3cret-pw") {
		t.Errorf("error %q shows the password", msg)
	}
	for _, want := range []string{"cannot reach", "127.0.0.1:1", `"tenderbot"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
}

// TestFirstSchemaMigratesToTheLeases: a database made by the first
// schema, with a delivery in it, is brought forward by Open, the delivery
// kept and given no lease.
func TestFirstSchemaMigratesToTheLeases(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	first, err := fs.ReadFile(migrations(), "0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	pool := rawPool(t, url)
	if _, err := migrate(ctx, pool, fstest.MapFS{"0001_init.sql": {Data: first}}, epoch); err != nil {
		t.Fatal(err)
	}
	const old = `INSERT INTO outbox (key, platform, workspace, purpose, message, status, due_at, created_at)
		VALUES ('k', 'console', 'local', 'alert', '{}', 'sending', 0, 0)`
	if _, err := pool.Exec(ctx, old); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, url, bottest.NewClock(epoch))
	var version int
	var owner string
	var until *int64
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT MAX(version) FROM schema_migrations), lease_owner, lease_until FROM outbox WHERE key = 'k'`).Scan(&version, &owner, &until); err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations(migrations())
	if latest := migration.Latest(ms); version != latest || owner != "" || until != nil {
		t.Errorf("after Open: schema %d, lease %q until %v; want %d, no lease", version, owner, until, latest)
	}
}
