package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver storage/sqlite uses, for the floor's bare table
)

// The floor is SQLite itself, not the store: the SQL below measures what
// any schema on this disk could do at best, so it lives with the bench
// rather than in storage/sqlite.

// floorParams are the connection parameters of storage/sqlite's writer
// (writerParams in storage/sqlite/store.go): WAL, synchronous=NORMAL,
// foreign keys, the default page cache, statement journals in memory, a
// checkpoint every 10,000 pages of log, transactions that take the write
// lock at once.
const floorParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate"

// floorPayloadWidth is the width of a floor row's payload: about what an
// outbox row holds for one recipient besides the message (who, which
// profile, when due, its state).
const floorPayloadWidth = 120

// measureFloor inserts as many rows as the ingest caused, split by notice
// as it caused them, into a bare table with a unique key, in a new file in
// dir: one transaction a notice, one prepared INSERT, keys in the order
// that suits the index best (a notice's rows side by side, ascending).
func measureFloor(ctx context.Context, dir string, perNotice []noticeRows, rep *fanoutReport, progress func(string, ...any)) error {
	f, err := os.CreateTemp(dir, "fanout-floor-*.db")
	if err != nil {
		return fmt.Errorf("bench fanout: floor: %w", err)
	}
	path := f.Name()
	f.Close()
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}()
	db, err := sql.Open("sqlite", sqliteURI(path, floorParams))
	if err != nil {
		return fmt.Errorf("bench fanout: floor: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, took, err := insertFloor(ctx, db, perNotice)
	if err != nil {
		return fmt.Errorf("bench fanout: floor: %w", err)
	}
	rep.floorRows, rep.floor = rows, took
	progress("floor: %d rows in %d transactions into a bare table in %.1f s", rows, countNonEmpty(perNotice), took.Seconds())
	return nil
}

// insertFloor creates the bare table and fills it, timing the inserts.
func insertFloor(ctx context.Context, db *sql.DB, perNotice []noticeRows) (int, time.Duration, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE floor (key TEXT PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		return 0, 0, err
	}
	insert, err := db.PrepareContext(ctx, `INSERT INTO floor (key, payload) VALUES (?, ?)`)
	if err != nil {
		return 0, 0, err
	}
	defer insert.Close()
	total := 0
	began := time.Now()
	for _, n := range perNotice {
		if n.rows == 0 {
			continue
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, 0, err
		}
		stmt := tx.StmtContext(ctx, insert)
		for j := range n.rows {
			to := fmt.Sprintf("console/bench/@u%06d", j)
			if _, err := stmt.ExecContext(ctx, "alert:"+n.noticeID+":"+to, floorPayload(to, j)); err != nil {
				tx.Rollback()
				return 0, 0, err
			}
		}
		if err := tx.Commit(); err != nil {
			return 0, 0, err
		}
		total += n.rows
	}
	return total, time.Since(began), nil
}

// floorPayload is a row's payload, floorPayloadWidth bytes.
func floorPayload(to string, j int) string {
	s := fmt.Sprintf(`{"to":%q,"profile":%d,"purpose":"alert","due":"2026-03-02T09:00:00Z","status":"pending","attempts":0}`, to, j+1)
	if len(s) < floorPayloadWidth {
		s += strings.Repeat(" ", floorPayloadWidth-len(s))
	}
	return s[:floorPayloadWidth]
}

func countNonEmpty(perNotice []noticeRows) int {
	n := 0
	for _, r := range perNotice {
		if r.rows > 0 {
			n++
		}
	}
	return n
}

// databaseSize returns the bytes of the database at path, its main file
// and its write-ahead log, once the log has been checkpointed into the
// file as far as it can be: what the rows take on disk.
func databaseSize(ctx context.Context, path string) (int64, error) {
	if err := settle(ctx, path); err != nil {
		return 0, err
	}
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		fi, err := os.Stat(path + suffix)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return 0, fmt.Errorf("bench fanout: size of %s: %w", path, err)
		default:
			size += fi.Size()
		}
	}
	return size, nil
}

// settle copies the log of the database at path into its file and has
// the system write the file to disk, so that the phase measured next
// neither counts the log nor waits for the writes of the one before.
func settle(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", sqliteURI(path, "_pragma=busy_timeout(5000)"))
	if err != nil {
		return fmt.Errorf("bench fanout: settle %s: %w", path, err)
	}
	defer db.Close()
	var busy, logFrames, checkpointed int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("bench fanout: checkpoint %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("bench fanout: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("bench fanout: %w", err)
	}
	return nil
}

// sqliteURI returns the "file:" URI of the database at path, escaped as
// storage/sqlite escapes it.
func sqliteURI(path, params string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	abs = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(abs))
	return "file:" + abs + "?" + params
}
