package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// SaveNotice stores n, replacing an earlier version with the same ID but
// keeping when it was first seen, and records keys as n's cluster keys; a key
// another notice holds already keeps pointing there. In the same transaction
// it applies the effects: cancels pending deliveries by key prefix, ends
// follows, enqueues deliveries (ignoring those whose Key exists, as Enqueue
// does, without reporting their IDs) and holds digest items (ignoring a
// notice the subscriber holds already). It reports whether n was new.
func (s *Store) SaveNotice(ctx context.Context, n bot.Notice, keys []string, fx bot.Effects) (inserted bool, err error) {
	if n.ID == "" {
		return false, errors.New("sqlite: save notice: notice has no id")
	}
	content, err := noticeContent(n)
	if err != nil {
		return false, fmt.Errorf("sqlite: save notice %s: %w", n.ID, err)
	}
	now := s.now()
	stamp := formatTime(now)

	// Insert first: whether the row was new decides whether to update it
	// and whether to enqueue, and the IMMEDIATE transaction means no one
	// else can insert it between the two statements.
	const insert = `
		INSERT INTO notices (id, source, title, description, language, buyer, kind, cpv, nuts,
			country, value_amount, value_currency, deadline, published, url, procedure_id, lots,
			sources, first_seen, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`
	const update = `
		UPDATE notices SET source = ?, title = ?, description = ?, language = ?, buyer = ?,
			kind = ?, cpv = ?, nuts = ?, country = ?, value_amount = ?, value_currency = ?,
			deadline = ?, published = ?, url = ?, procedure_id = ?, lots = ?,
			sources = ?, updated_at = ?
		WHERE id = ?`
	var alerts []madeAlert
	err = write(ctx, s.writer, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, insert, slices.Concat([]any{n.ID}, content, []any{stamp, stamp})...)
		if err != nil {
			return err
		}
		rows, err := res.RowsAffected()
		if err != nil {
			return err
		}
		for _, key := range keys {
			const claim = `INSERT INTO notice_keys (key, notice_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`
			if _, err := tx.ExecContext(ctx, claim, key, n.ID); err != nil {
				return fmt.Errorf("claim key %q: %w", key, err)
			}
		}
		if rows == 0 {
			if _, err := tx.ExecContext(ctx, update, slices.Concat(content, []any{stamp, n.ID})...); err != nil {
				return err
			}
		}
		inserted = rows == 1
		alerts, err = applyEffects(ctx, tx, s.bulk, n.ID, fx, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: save notice %s: %w", n.ID, err)
	}
	s.recent.add(alerts)
	return inserted, nil
}

// noticeContent returns n's fields from source to lots, as stored, in
// column order: everything but the id and the store's own time stamps.
func noticeContent(n bot.Notice) ([]any, error) {
	cpv, nuts, lots, sources, err := codec.NoticeLists(n)
	if err != nil {
		return nil, err
	}
	var amount any // NULL: value not stated
	currency := ""
	if n.Value != nil {
		amount, currency = n.Value.Amount, n.Value.Currency
	}
	return []any{
		n.Source, n.Title, n.Description, n.Language, n.Buyer, n.Kind, cpv, nuts,
		n.Country, amount, currency, nullTime(n.Deadline), nullTime(n.Published), n.URL,
		n.ProcedureID, lots, sources,
	}, nil
}

// Notice returns the notice with the given ID, or ENOTFOUND.
func (s *Store) Notice(ctx context.Context, id string) (bot.Notice, error) {
	const q = `SELECT ` + noticeColumns + ` FROM notices AS n WHERE n.id = ?`
	n, err := scanNotice(s.reader.QueryRowContext(ctx, q, id))
	if err != nil {
		err = translate(err, text.N("there is no notice %q"), id)
		return bot.Notice{}, fmt.Errorf("sqlite: notice %s: %w", id, err)
	}
	return n, nil
}

// FindNotice returns the notice holding the first of keys that any notice
// holds; ok is false when none does.
func (s *Store) FindNotice(ctx context.Context, keys []string) (bot.Notice, bool, error) {
	const q = `
		SELECT ` + noticeColumns + `
		FROM notice_keys AS k JOIN notices AS n ON n.id = k.notice_id
		WHERE k.key = ?`
	for _, key := range keys {
		n, err := scanNotice(s.reader.QueryRowContext(ctx, q, key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return bot.Notice{}, false, fmt.Errorf("sqlite: find notice by %q: %w", key, err)
		}
		return n, true, nil
	}
	return bot.Notice{}, false, nil
}

// RecentNotices returns up to limit notices, newest published first; among
// notices published at the same time, the one stored last comes first, and
// notices without a publication date come last.
func (s *Store) RecentNotices(ctx context.Context, limit int) ([]bot.Notice, error) {
	if limit <= 0 {
		return nil, nil
	}
	const q = `
		SELECT ` + noticeColumns + `
		FROM notices AS n
		ORDER BY n.published DESC, n.seq DESC
		LIMIT ?`
	ns, err := s.queryNotices(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent notices: %w", err)
	}
	return ns, nil
}

// SearchNotices returns up to limit notices whose title, description or
// buyer contain any of words (case- and diacritic-insensitive; a word ending
// in * is a prefix), best match first by BM25, a word in the title counting
// most and one in the description least. Words are plain words, not a query
// syntax: characters other than letters and digits split a word into parts
// that must appear in that order (as the index splits "e-mail"), and only a
// trailing * means anything. No usable word finds nothing.
func (s *Store) SearchNotices(ctx context.Context, words []string, limit int) ([]bot.Notice, error) {
	match := matchExpression(words)
	if match == "" || limit <= 0 {
		return nil, nil
	}
	// The weights follow the column order: title, description, buyer. A
	// word in a title says more about a notice than the same word deep in
	// its description.
	const q = `
		SELECT ` + noticeColumns + `
		FROM notices_fts
		JOIN notices AS n ON n.seq = notices_fts.rowid
		WHERE notices_fts MATCH ?
		ORDER BY bm25(notices_fts, 3.0, 1.0, 2.0), n.seq DESC
		LIMIT ?`
	ns, err := s.queryNotices(ctx, q, match, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search notices for %q: %w", match, err)
	}
	return ns, nil
}

// matchExpression builds an FTS5 query that matches any of words, from
// plain words only: whatever a person typed, the result holds nothing but
// double-quoted strings of letters, digits and spaces, each perhaps followed
// by *, joined by OR. Quoted, AND, NEAR, column filters and the like are
// just words. Runs of other characters become spaces, which make a
// quoted string a phrase, split as the tokenizer splits the indexed text;
// combining marks stay with their letter. A word with nothing left is
// dropped.
func matchExpression(words []string) string {
	var terms []string
	for _, w := range words {
		var b strings.Builder
		gap := false
		for _, r := range w {
			switch {
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				if gap && b.Len() > 0 {
					b.WriteByte(' ')
				}
				gap = false
				b.WriteRune(r)
			case unicode.Is(unicode.Mn, r) && !gap && b.Len() > 0:
				b.WriteRune(r)
			default:
				gap = true
			}
		}
		if b.Len() == 0 {
			continue
		}
		term := `"` + b.String() + `"`
		if strings.HasSuffix(w, "*") {
			term += "*"
		}
		terms = append(terms, term)
	}
	return strings.Join(terms, " OR ")
}

// CountNotices returns how many notices are stored.
func (s *Store) CountNotices(ctx context.Context) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count notices: %w", err)
	}
	return n, nil
}

// noticeColumns are the columns scanNotice reads, in its order, from notices
// AS n.
const noticeColumns = `n.id, n.source, n.title, n.description, n.language, n.buyer, n.kind,
	n.cpv, n.nuts, n.country, n.value_amount, n.value_currency, n.deadline, n.published,
	n.url, n.procedure_id, n.lots, n.sources`

// queryNotices runs q, which selects noticeColumns, on the reader pool.
func (s *Store) queryNotices(ctx context.Context, q string, args ...any) ([]bot.Notice, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ns []bot.Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// scanNotice reads one row of noticeColumns.
func scanNotice(row scanner) (bot.Notice, error) {
	var (
		n                   bot.Notice
		cpv, nuts, lots     sql.NullString
		sources             sql.NullString
		amount              sql.NullFloat64
		currency            string
		deadline, published sql.NullString
	)
	err := row.Scan(&n.ID, &n.Source, &n.Title, &n.Description, &n.Language, &n.Buyer, &n.Kind,
		&cpv, &nuts, &n.Country, &amount, &currency, &deadline, &published,
		&n.URL, &n.ProcedureID, &lots, &sources)
	if err != nil {
		return bot.Notice{}, err
	}
	if amount.Valid {
		n.Value = &bot.Money{Amount: amount.Float64, Currency: currency}
	}
	if err := codec.SetNoticeLists(&n, nullBytes(cpv), nullBytes(nuts), nullBytes(lots), nullBytes(sources)); err != nil {
		return bot.Notice{}, err
	}
	if n.Deadline, err = parseNullTime(deadline); err != nil {
		return bot.Notice{}, fmt.Errorf("notice %s: deadline: %w", n.ID, err)
	}
	if n.Published, err = parseNullTime(published); err != nil {
		return bot.Notice{}, fmt.Errorf("notice %s: published: %w", n.ID, err)
	}
	return n, nil
}
