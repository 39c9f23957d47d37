package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// A notice that reaches a great many subscribers writes the first chunk of
// their rows (bot.Effects.Chunk) in its own transaction and keeps the
// rest there too, column by column, in fanout_kept rows of a chunk each;
// ContinueFanOuts then writes one kept chunk into the outbox and
// digest_items and deletes it, in one transaction, on whichever replica
// takes it first (FOR UPDATE SKIP LOCKED). A notice is never stored
// without its alerts, a stop leaves the rest kept for the next start, and
// no row is written twice: a kept chunk goes in the transaction that
// writes it, and the idempotency keys skip a delivery that exists anyway.

// keptRows are the rows of a kept chunk, column by column.
type keptRows struct {
	Deliveries pendingDeliveries `json:"d"`
	Items      pendingItems      `json:"i"`
}

// keep leaves the first chunk of the rows gathered in f and stores the
// rest in fanout_kept under noticeID, a chunk a row; chunk 0 keeps none.
func (f *fanOut) keep(noticeID string, chunk int) error {
	d, it := f.deliveries, f.items
	nd, ni := len(d.Keys), len(it.Notices)
	if chunk <= 0 || nd+ni <= chunk {
		return nil
	}
	// The first chunk: deliveries first, then items.
	fd := min(chunk, nd)
	fi := min(chunk-fd, ni)
	f.deliveries, f.items = d.slice(0, fd), it.slice(0, fi)
	for i, j := fd, fi; i < nd || j < ni; {
		di := min(chunk, nd-i)
		dj := min(chunk-di, ni-j)
		part := keptRows{Deliveries: d.slice(i, i+di), Items: it.slice(j, j+dj)}
		raw, err := json.Marshal(part)
		if err != nil {
			return err
		}
		const q = `INSERT INTO fanout_kept (notice_id, card_id, rows, created_at) VALUES ($1, $2, $3, $4)`
		if _, err := f.tx.Exec(f.ctx, q, noticeID, f.cardID, raw, unixNano(f.now)); err != nil {
			return err
		}
		i, j = i+di, j+dj
	}
	return nil
}

// ContinueFanOuts writes the kept chunks of fan-outs, the oldest first, a
// chunk a transaction that deletes it, until none is left that another
// replica is not writing, and returns how many rows it wrote.
func (s *Store) ContinueFanOuts(ctx context.Context) (int, error) {
	total := 0
	for {
		var rows int
		err := s.write(ctx, func(tx pgx.Tx) error {
			var id, created int64
			var part keptRows
			const q = `SELECT id, rows, created_at FROM fanout_kept ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`
			err := tx.QueryRow(ctx, q).Scan(&id, &part, &created)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			f := newFanOut(ctx, tx, nil, time.Unix(0, created).UTC())
			f.deliveries, f.items = part.Deliveries, part.Items
			if err := f.flush(); err != nil {
				return err
			}
			rows = len(part.Deliveries.Keys) + len(part.Items.Notices)
			_, err = tx.Exec(ctx, `DELETE FROM fanout_kept WHERE id = $1`, id)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("postgres: continue fan-outs: %w", err)
		}
		if rows == 0 {
			return total, nil
		}
		total += rows
	}
}
