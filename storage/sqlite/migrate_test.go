package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// openRaw opens a bare writer pool on a fresh file, for testing migrate on
// its own.
func openRaw(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", uri(filepath.Join(t.TempDir(), "raw.db"), writerParams))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestEmbeddedMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenderbot.db")
	s, _ := openTestStoreAt(t, path) // applies every migration

	ms, err := loadMigrations(migrations())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no embedded migrations")
	}
	var recorded int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != len(ms) {
		t.Errorf("schema_migrations rows: got %d, want %d", recorded, len(ms))
	}

	applied, err := migrate(ctx, s.writer, migrations(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("migrating an up-to-date database: applied %v, want nothing", applied)
	}

	// A second Open on the same file, after the first has closed, applies
	// nothing either.
	var stamped string
	if err := s.reader.QueryRowContext(ctx, `SELECT MAX(applied_at) FROM schema_migrations`).Scan(&stamped); err != nil {
		t.Fatal(err)
	}
	if want := formatTime(epoch); stamped != want {
		t.Errorf("migrations applied at %s, want %s from the clock given to Open", stamped, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, _ = openTestStoreAt(t, path)
	var last string
	if err := s.reader.QueryRowContext(ctx, `SELECT MAX(applied_at) FROM schema_migrations`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != len(ms) {
		t.Errorf("schema_migrations rows after reopen: got %d, want %d", recorded, len(ms))
	}
	if last != stamped {
		t.Errorf("latest migration applied at %s after reopen, want %s as before", last, stamped)
	}
	if applied, err := migrate(ctx, s.writer, migrations(), epoch); err != nil || len(applied) != 0 {
		t.Errorf("migrating after reopen: got %v, %v; want nothing applied", applied, err)
	}
}

func TestMigrateAppliesInOrder(t *testing.T) {
	ctx := context.Background()
	db := openRaw(t)
	fsys := fstest.MapFS{
		// 0002 needs 0001's table: applied out of order it would fail.
		"0002_fill.sql":   {Data: []byte(`INSERT INTO t (x) VALUES (1); INSERT INTO t (x) VALUES (2);`)},
		"0001_create.sql": {Data: []byte(`CREATE TABLE t (x INTEGER);`)},
	}
	applied, err := migrate(ctx, db, fsys, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"0001_create.sql", "0002_fill.sql"}; !reflect.DeepEqual(applied, want) {
		t.Errorf("applied: got %v, want %v", applied, want)
	}

	// A later migration fails halfway: none of it may stay, and the ones
	// before stay applied.
	fsys["0003_broken.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE u (y); INSERT INTO missing VALUES (1);`)}
	applied, err = migrate(ctx, db, fsys, epoch)
	if err == nil || !strings.Contains(err.Error(), "0003_broken.sql") {
		t.Errorf("broken migration: got error %v, want one naming 0003_broken.sql", err)
	}
	if len(applied) != 0 {
		t.Errorf("broken migration: applied %v, want nothing", applied)
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'u'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Error("the broken migration's first statement was kept; want it rolled back")
	}
	var versions int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 2 {
		t.Errorf("recorded migrations: got %d, want 2", versions)
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := openRaw(t)
	newer := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE a (x);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE b (x);`)},
	}
	if _, err := migrate(ctx, db, newer, epoch); err != nil {
		t.Fatal(err)
	}
	older := fstest.MapFS{"0001_a.sql": newer["0001_a.sql"]}
	_, err := migrate(ctx, db, older, epoch)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("older program on a newer schema: got %v, want a refusal", err)
	}
}

func TestLoadMigrationsRejectsBadNames(t *testing.T) {
	file := &fstest.MapFile{Data: []byte(`SELECT 1;`)}
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"no name", fstest.MapFS{"0001.sql": file}},
		{"short number", fstest.MapFS{"1_init.sql": file}},
		{"version zero", fstest.MapFS{"0000_init.sql": file}},
		{"not a number", fstest.MapFS{"abcd_init.sql": file}},
		{"not sql", fstest.MapFS{"0001_init.txt": file}},
		{"directory", fstest.MapFS{"0001_init.sql/x": file}},
		{"same version", fstest.MapFS{"0001_a.sql": file, "0001_b.sql": file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(tt.fsys)
			if err == nil {
				t.Errorf("got %d migrations and no error, want an error", len(ms))
			}
		})
	}
}
