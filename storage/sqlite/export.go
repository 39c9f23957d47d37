package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// The export reads a deployment table by table, for copying it into
// another store (tenderbot migrate-store): rows as the database holds them,
// but with the values whose text is this package's own encoding decoded.
// A time column's text comes as a time.Time; a zoned event time, an audit
// entry's time and data, a message or a card stay the text they are (but
// for a digest's message that references its cards, which comes whole),
// and JSON lists stay JSON text.

// timeColumns are the columns, by table, that hold times in timeLayout.
var timeColumns = map[string][]string{
	"profiles":            {"created_at"},
	"notices":             {"deadline", "published", "first_seen", "updated_at"},
	"feeds":               {"last_polled", "last_success", "created_at", "next_poll", "first_new_at", "last_new_at"},
	"cards":               {"created_at"},
	"outbox":              {"due_at", "created_at", "sent_at"},
	"actions":             {"created_at"},
	"follows":             {"created_at"},
	"profile_mutes":       {"created_at"},
	"digest_items":        {"created_at"},
	"roles":               {"granted_at"},
	"events":              {"start_utc", "created_at", "updated_at", "published_at"},
	"event_registrations": {"registered_at", "updated_at"},
	"event_questions":     {"asked_at", "answered_at"},
	"event_materials":     {"added_at"},
	"audit_actors":        {"created_at"},
	"installations":       {"installed_at"},
	"seen_requests":       {"expires_at"},
	"schema_migrations":   {"applied_at"},
}

// emptyTimes are the time columns, by table, that may be left empty to
// mean the time of another column of their row: a delivery due when made
// (dueAt).
var emptyTimes = map[string]map[string]string{
	"outbox": {"due_at": "created_at"},
}

// Export reads the deployment in one snapshot: what the bot writes while
// a copy is made is not in it, and the counts agree with the rows read.
type Export struct {
	tx *sql.Tx
}

// Export calls fn with a read of the deployment in one snapshot, for as
// long as fn runs.
func (s *Store) Export(ctx context.Context, fn func(*Export) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: export: %w", err)
	}
	defer tx.Rollback() // read only: nothing to commit
	return fn(&Export{tx: tx})
}

// Tables returns the names of the deployment's tables, the full-text
// index's own excepted, by name.
func (x *Export) Tables(ctx context.Context) ([]string, error) {
	const q = `
		SELECT name FROM sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'notices_fts%'
		ORDER BY name`
	rows, err := x.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("sqlite: tables: %w", err)
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// CountRows returns how many rows table holds.
func (x *Export) CountRows(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := x.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+strings.ReplaceAll(table, `"`, `""`)+`"`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s: %w", table, err)
	}
	return n, nil
}

// Sequence returns the largest id an AUTOINCREMENT table has handed out,
// deleted rows' included, so that a copy never hands one out again; 0 when
// it has handed out none or the table has no such id.
func (x *Export) Sequence(ctx context.Context, table string) (int64, error) {
	var n sql.NullInt64
	err := x.tx.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, table).Scan(&n)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("sqlite: sequence of %s: %w", table, err)
	}
	return n.Int64, nil
}

// ReadTable returns the columns of table and its rows, in the order they
// were inserted (rowid order, where the table has one; key order
// otherwise), as the iteration goes; a table is read to its end before the
// next is read. Values are
// int64, float64, string, []byte, time.Time for the time columns, or nil.
func (x *Export) ReadTable(ctx context.Context, table string) ([]string, iter.Seq2[[]any, error], error) {
	var rowid bool
	if err := x.tx.QueryRowContext(ctx, `SELECT NOT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'`, table).Scan(&rowid); err != nil {
		return nil, nil, fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	q := `SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`
	if rowid {
		q += ` ORDER BY rowid`
	}
	rows, err := x.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	columns, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, nil, fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	isTime := make([]bool, len(columns))
	sameAs := make([]int, len(columns)) // the index of the column an empty time stands for, or -1
	for i, c := range columns {
		isTime[i] = slices.Contains(timeColumns[table], c)
		sameAs[i] = slices.Index(columns, emptyTimes[table][c])
	}
	message := -1 // the column of a delivery's message, in outbox
	if table == "outbox" {
		message = slices.Index(columns, "message")
	}
	seq := func(yield func([]any, error) bool) {
		defer rows.Close()
		for rows.Next() {
			values := make([]any, len(columns))
			ptrs := make([]any, len(columns))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				yield(nil, fmt.Errorf("sqlite: read %s: %w", table, err))
				return
			}
			for i, v := range values {
				if v == "" && sameAs[i] >= 0 {
					values[i] = values[sameAs[i]] // still text: times are read below
				}
			}
			if message >= 0 {
				if raw, ok := values[message].(string); ok && codec.IsDigestPart(raw) {
					whole, err := x.wholeDigest(ctx, raw)
					if err != nil {
						yield(nil, fmt.Errorf("sqlite: read %s: %w", table, err))
						return
					}
					values[message] = whole
				}
			}
			for i, v := range values {
				if text, ok := v.(string); ok && isTime[i] {
					t, err := parseTime(text)
					if err != nil {
						yield(nil, fmt.Errorf("sqlite: read %s.%s: %w", table, columns[i], err))
						return
					}
					values[i] = t
				}
			}
			if !yield(values, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("sqlite: read %s: %w", table, err))
		}
	}
	return columns, seq, nil
}

// wholeDigest returns a digest's message that references its cards
// (codec.DigestPart) as the whole message: the copy's store reads
// messages it writes itself, and those never reference a digest's cards.
func (x *Export) wholeDigest(ctx context.Context, raw string) (string, error) {
	const q = `SELECT json_group_array(json_array(c.id, json(c.body)))
		FROM json_each(?, '$.d') AS j JOIN cards AS c ON c.id = j.value ->> '$.c'`
	var pairs string
	if err := x.tx.QueryRowContext(ctx, q, raw).Scan(&pairs); err != nil {
		return "", fmt.Errorf("digest's cards: %w", err)
	}
	cards := codec.Cards{}
	if err := cards.AddBodies(pairs); err != nil {
		return "", err
	}
	m, err := cards.DigestMessage(raw)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(m)
	return string(b), err
}
