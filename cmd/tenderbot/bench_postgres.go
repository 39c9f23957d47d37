package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/adapters/feeds"
)

// On PostgreSQL the bench runs in a schema of its own in the database the
// flag names, dropped afterwards, and measures its floor there too: the
// same rows copied into a bare table on the same server. Like the SQLite
// floor, this is the server's own best, not the store's, so its SQL lives
// with the bench.

// fanoutSchema makes a fresh schema in the database at server and returns
// the URL of connections that work in it, and what drops it.
func fanoutSchema(ctx context.Context, server string) (connURL string, cleanup func(), err error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", nil, fmt.Errorf("bench fanout: --database-url %s: %w", feeds.Redact(server), err)
	}
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, fmt.Errorf("bench fanout: --database-url %s: %w", feeds.Redact(server), err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 4)
	rand.Read(b)
	schema := "tenderbot_bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("bench fanout: make schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public") // public: where unaccent lives
	u.RawQuery = q.Encode()
	cleanup = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if conn, err := pgx.Connect(ctx, server); err == nil {
			conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
			conn.Close(ctx)
		}
	}
	return u.String(), cleanup, nil
}

// schemaSize returns the bytes the tables of the connection's schema take,
// with their indexes and TOAST: what the rows take on the server.
func schemaSize(ctx context.Context, connURL string) (int64, error) {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return 0, fmt.Errorf("bench fanout: size of the schema: %w", err)
	}
	defer conn.Close(ctx)
	var size int64
	err = conn.QueryRow(ctx, `
		SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')`).Scan(&size)
	if err != nil {
		return 0, fmt.Errorf("bench fanout: size of the schema: %w", err)
	}
	return size, nil
}

// measureFloorPostgres copies as many rows as the ingest caused, split by
// notice as it caused them, into a bare table with a unique key in the
// bench's schema: one transaction a notice, one COPY each, keys in the
// order that suits the index best.
func measureFloorPostgres(ctx context.Context, connURL string, perNotice []noticeRows, rep *fanoutReport, progress func(string, ...any)) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return fmt.Errorf("bench fanout: floor: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE floor (key TEXT PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("bench fanout: floor: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `DROP TABLE floor`)
	total := 0
	began := time.Now()
	for _, n := range perNotice {
		if n.rows == 0 {
			continue
		}
		rows := make([][]any, n.rows)
		for j := range rows {
			to := fmt.Sprintf("console/bench/@u%06d", j)
			rows[j] = []any{"alert:" + n.noticeID + ":" + to, floorPayload(to, j)}
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"floor"}, []string{"key", "payload"}, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return fmt.Errorf("bench fanout: floor: %w", err)
		}
		total += n.rows
	}
	rep.floorRows, rep.floor = total, time.Since(began)
	progress("floor: %d rows in %d transactions copied into a bare table in %.1f s", total, countNonEmpty(perNotice), rep.floor.Seconds())
	return nil
}
