package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The retention job never holds the writer for long, however large the
// outbox: every write it makes changes the rows of a window of at most
// pruneBatch keys, found through the table's primary key, and what must
// read the whole outbox (which cards are still referenced) reads it on a
// reader, which WAL lets run beside the writer. Between two of its writes
// a fan-out waiting for the writer takes it: database/sql hands a released
// connection to the oldest waiting request, and the next write of the job
// asks only after it.

// pruneBatch is how many rows one write of the retention job may change:
// small enough that a fan-out waiting for the writer is never held up for
// long.
const pruneBatch = 2000

// Prune deletes finished deliveries created before t, empties the texts of
// notices first seen before t, deletes the cards no delivery or digest
// item references any more, and returns the pages they took to the file
// system (vacuumFree), each in small writes that let a fan-out in between.
// The file stops growing at the size the retention period holds.
func (s *Store) Prune(ctx context.Context, before time.Time) (deliveries, notices int, err error) {
	stamp := formatTime(before)
	if deliveries, err = s.inWindows(ctx, finishedDeliveries, stamp); err != nil {
		return 0, 0, fmt.Errorf("sqlite: prune deliveries before %s: %w", stamp, err)
	}
	if notices, err = s.inWindows(ctx, oldNoticeTexts, stamp); err != nil {
		return 0, 0, fmt.Errorf("sqlite: prune notice texts before %s: %w", stamp, err)
	}
	if err := s.pruneCards(ctx); err != nil {
		return 0, 0, fmt.Errorf("sqlite: prune cards: %w", err)
	}
	if _, err := s.vacuumFree(ctx); err != nil {
		return 0, 0, fmt.Errorf("sqlite: prune: %w", err)
	}
	return deliveries, notices, nil
}

// A window is a change the retention job makes to old rows of a table,
// a window of keys at a time. Rows are stamped in the order of their keys
// (the clock at insert, keys counting up), so the walk starts at the
// table's first row and stops at the first row stamped at or after the
// cut: what lies beyond is younger. A row stamped older than one before
// it, after the clock was set back, waits for a later day's walk.
type window struct {
	// first reads the key and stamp of the first row at or after a key.
	first string
	// change changes the rows with keys in [?, ?) stamped before ?, and
	// says how many it changed.
	change string
}

// finishedDeliveries deletes sent, failed and cancelled deliveries.
var finishedDeliveries = window{
	first: `SELECT id, created_at FROM outbox WHERE id >= ? ORDER BY id LIMIT 1`,
	change: `DELETE FROM outbox WHERE id >= ? AND id < ? AND created_at < ?
		AND status IN ('sent', 'failed', 'cancelled')`,
}

// oldNoticeTexts empties notices' descriptions; the rest of a notice stays,
// so that it is recognised when a feed brings it again.
var oldNoticeTexts = window{
	first:  `SELECT seq, first_seen FROM notices WHERE seq >= ? ORDER BY seq LIMIT 1`,
	change: `UPDATE notices SET description = '' WHERE seq >= ? AND seq < ? AND first_seen < ? AND description <> ''`,
}

// inWindows makes the change of w to the rows stamped before stamp, one
// write a window of pruneBatch keys, and returns how many rows it changed.
func (s *Store) inWindows(ctx context.Context, w window, stamp string) (int, error) {
	total := 0
	from := int64(0)
	for {
		var at string
		err := s.reader.QueryRowContext(ctx, w.first, from).Scan(&from, &at)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && at >= stamp) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		var n int64
		err = write(ctx, s.writer, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, w.change, from, from+pruneBatch, stamp)
			if err == nil {
				n, err = res.RowsAffected()
			}
			return err
		})
		if err != nil {
			return total, err
		}
		total += int(n)
		from += pruneBatch
	}
}

// unreferencedCards reads, in one snapshot, the cards no delivery, digest
// item or kept chunk of a fan-out (kept.go) references: a sent delivery lets go of its card, or cards (a
// digest's, codec.DigestPart), and so does a digest item once its digest
// is made.
const unreferencedCards = `
	SELECT id FROM cards
	WHERE id NOT IN (SELECT card_id FROM outbox WHERE card_id IS NOT NULL)
		AND id NOT IN (SELECT card_id FROM digest_items WHERE card_id IS NOT NULL)
		AND id NOT IN (SELECT card_id FROM fanout_kept WHERE card_id IS NOT NULL)
		AND id NOT IN (SELECT j.value ->> '$.c' FROM outbox AS o, json_each(o.message, '$.d') AS j
			WHERE o.purpose = 'digest' AND substr(o.message, 1, 5) = '{"d":')`

// pruneCards deletes the cards no delivery or digest item references any
// more, pruneBatch to a write. Which they are is read on a reader, off the
// writer: a card found unreferenced there stays so when the writes come,
// since a card is first referenced by the rows written in its own
// transaction (which the snapshot sees whole or not at all), and later
// only by a digest made from items that reference it.
func (s *Store) pruneCards(ctx context.Context) error {
	rows, err := s.reader.QueryContext(ctx, unreferencedCards)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for len(ids) > 0 {
		batch := ids[:min(pruneBatch, len(ids))]
		ids = ids[len(batch):]
		list, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		err = write(ctx, s.writer, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM cards WHERE id IN (SELECT value FROM json_each(?))`, string(list))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
