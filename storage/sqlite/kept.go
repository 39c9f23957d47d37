package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// A notice that reaches a great many subscribers does not hold the writer
// for as long as all their rows take: its transaction writes the first
// chunk of them (bot.Effects.Chunk) and keeps the rest, as the values
// their rows will have, in fanout_kept rows of a chunk each; each call of
// ContinueFanOuts then writes one kept chunk into the outbox and
// digest_items and deletes it, in one transaction. So a notice is never
// stored without its alerts (they are kept with it), a stop between two
// chunks leaves the rest kept for the next start, and no row is written
// twice: a kept chunk goes in the transaction that writes it, and the
// idempotency keys skip a delivery that exists all the same.

// keptRows are the rows of a kept chunk: each the values of its
// statement's row (deliveryInsert, digestInsert) in order.
type keptRows struct {
	Deliveries [][]any `json:"d,omitempty"`
	Items      [][]any `json:"i,omitempty"`
}

// over counts a row gathered and reports whether it is past the chunk.
func (f *fanOut) over() bool {
	f.rows++
	return f.chunk > 0 && f.rows > f.chunk
}

// keep stores the rows past the chunk in fanout_kept, a chunk a row,
// with the card they reference.
func (f *fanOut) keep() error {
	rest := f.kept
	for len(rest.Deliveries)+len(rest.Items) > 0 {
		var part keptRows
		n := min(f.chunk, len(rest.Deliveries))
		part.Deliveries, rest.Deliveries = rest.Deliveries[:n], rest.Deliveries[n:]
		n = min(f.chunk-n, len(rest.Items))
		part.Items, rest.Items = rest.Items[:n], rest.Items[n:]
		raw, err := json.Marshal(part)
		if err != nil {
			return err
		}
		var card any
		if f.cardID != 0 {
			card = f.cardID
		}
		const q = `INSERT INTO fanout_kept (notice_id, card_id, rows, created_at) VALUES (?, ?, ?, ?)`
		if _, err := f.tx.ExecContext(f.ctx, q, f.notice, card, string(raw), f.now); err != nil {
			return err
		}
	}
	f.kept = keptRows{}
	return nil
}

// ContinueFanOuts writes the kept chunks of fan-outs, the oldest first, a
// chunk a transaction that deletes it, until none is left, and returns how
// many rows it wrote.
func (s *Store) ContinueFanOuts(ctx context.Context) (int, error) {
	total := 0
	for {
		var rows int
		var alerts []madeAlert
		err := write(ctx, s.writer, func(tx *sql.Tx) error {
			var err error
			rows, alerts, err = writeKept(ctx, tx, s.bulk)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("sqlite: continue fan-outs: %w", err)
		}
		s.recent.add(alerts)
		if rows == 0 {
			return total, nil
		}
		total += rows
	}
}

// writeKept writes the oldest kept chunk and deletes it, and returns how
// many rows it held (0: none was left) and the alerts written.
func writeKept(ctx context.Context, tx *sql.Tx, bulk *bulkStatements) (int, []madeAlert, error) {
	var id int64
	var raw, created string
	err := tx.QueryRowContext(ctx, `SELECT id, rows, created_at FROM fanout_kept ORDER BY id LIMIT 1`).Scan(&id, &raw, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	made, err := parseTime(created)
	if err != nil {
		return 0, nil, err
	}
	var part keptRows
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&part); err != nil {
		return 0, nil, fmt.Errorf("kept chunk %d: %w", id, err)
	}
	f := newFanOut(ctx, tx, nil, made)
	f.bulk = bulk
	defer f.close()
	for _, row := range part.Deliveries {
		if err := f.addRow(numbers(row)); err != nil {
			return 0, nil, err
		}
	}
	for _, row := range part.Items {
		if err := f.holdRow(numbers(row)); err != nil {
			return 0, nil, err
		}
	}
	alerts, err := f.finish()
	if err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM fanout_kept WHERE id = ?`, id); err != nil {
		return 0, nil, err
	}
	return len(part.Deliveries) + len(part.Items), alerts, nil
}

// numbers turns the JSON numbers of a kept row back into the integers
// they were (profile and card ids; the rest are strings and booleans).
func numbers(row []any) []any {
	for i, v := range row {
		if n, ok := v.(json.Number); ok {
			if id, err := n.Int64(); err == nil {
				row[i] = id
			}
		}
	}
	return row
}
