package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// SaveNotice stores n, replacing an earlier version with the same ID but
// keeping when it was first seen, and records keys as n's cluster keys; a key
// another notice holds already keeps pointing there. In the same transaction
// it applies the effects: cancels pending deliveries by key prefix, ends
// follows, enqueues deliveries (ignoring those whose Key exists) and holds
// digest items (ignoring a notice the subscriber holds already), in bulk.
// It reports whether n was new.
func (s *Store) SaveNotice(ctx context.Context, n bot.Notice, keys []string, fx bot.Effects) (inserted bool, err error) {
	if n.ID == "" {
		return false, errors.New("postgres: save notice: notice has no id")
	}
	content, err := noticeContent(n)
	if err != nil {
		return false, fmt.Errorf("postgres: save notice %s: %w", n.ID, err)
	}
	now := s.now()
	stamp := unixNano(now)
	// One statement inserts or updates; xmax is 0 only on a row this
	// statement inserted, which tells a new notice from an update.
	const upsert = `
		INSERT INTO notices (id, source, title, description, language, buyer, kind, cpv, nuts,
			country, value_amount, value_currency, deadline, published, url, procedure_id, lots,
			sources, first_seen, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
		ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title,
			description = excluded.description, language = excluded.language, buyer = excluded.buyer,
			kind = excluded.kind, cpv = excluded.cpv, nuts = excluded.nuts, country = excluded.country,
			value_amount = excluded.value_amount, value_currency = excluded.value_currency,
			deadline = excluded.deadline, published = excluded.published, url = excluded.url,
			procedure_id = excluded.procedure_id, lots = excluded.lots, sources = excluded.sources,
			updated_at = excluded.updated_at
		RETURNING xmax = 0`
	const claim = `
		INSERT INTO notice_keys (key, notice_id) SELECT k, $2 FROM unnest($1::text[]) AS k
		ON CONFLICT (key) DO NOTHING`
	err = s.write(ctx, func(tx pgx.Tx) error {
		args := slices.Concat([]any{n.ID}, content, []any{stamp})
		if err := tx.QueryRow(ctx, upsert, args...).Scan(&inserted); err != nil {
			return err
		}
		if len(keys) > 0 {
			if _, err := tx.Exec(ctx, claim, keys, n.ID); err != nil {
				return fmt.Errorf("claim keys: %w", err)
			}
		}
		return applyEffects(ctx, tx, n.ID, fx, now)
	})
	if err != nil {
		return false, fmt.Errorf("postgres: save notice %s: %w", n.ID, err)
	}
	return inserted, nil
}

// noticeContent returns n's fields from source to sources, as stored, in
// column order: everything but the id and the store's own time stamps.
func noticeContent(n bot.Notice) ([]any, error) {
	cpv, nuts, lots, sources, err := codec.NoticeLists(n)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(checkTime("deadline", n.Deadline), checkTime("published", n.Published)); err != nil {
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
	const q = `SELECT ` + noticeColumns + ` FROM notices AS n WHERE n.id = $1`
	n, err := scanNotice(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		err = translate(err, text.N("there is no notice %q"), id)
		return bot.Notice{}, fmt.Errorf("postgres: notice %s: %w", id, err)
	}
	return n, nil
}

// FindNotice returns the notice holding the first of keys that any notice
// holds, in one query; ok is false when none does.
func (s *Store) FindNotice(ctx context.Context, keys []string) (bot.Notice, bool, error) {
	if len(keys) == 0 {
		return bot.Notice{}, false, nil
	}
	const q = `
		SELECT ` + noticeColumns + `
		FROM unnest($1::text[]) WITH ORDINALITY AS k (key, i)
		JOIN notice_keys AS nk ON nk.key = k.key
		JOIN notices AS n ON n.id = nk.notice_id
		ORDER BY k.i
		LIMIT 1`
	n, err := scanNotice(s.pool.QueryRow(ctx, q, keys))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return bot.Notice{}, false, nil
	case err != nil:
		return bot.Notice{}, false, fmt.Errorf("postgres: find notice by %q: %w", keys, err)
	}
	return n, true, nil
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
		ORDER BY n.published DESC NULLS LAST, n.seq DESC
		LIMIT $1`
	ns, err := s.queryNotices(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent notices: %w", err)
	}
	return ns, nil
}

// SearchNotices returns up to limit notices whose title, description or
// buyer contain any of words (case- and diacritic-insensitive through
// fold(), on the indexed text and on the words alike; a word ending in * is
// a prefix), best match first by ts_rank, a word in the title counting most
// and one in the description least. Words are plain words, not a query
// syntax: characters other than letters and digits split a word into parts
// that must follow each other (as the parser splits "e-mail"), and only a
// trailing * means anything. No usable word finds nothing.
func (s *Store) SearchNotices(ctx context.Context, words []string, limit int) ([]bot.Notice, error) {
	query := tsQuery(words)
	if query == "" || limit <= 0 {
		return nil, nil
	}
	// The weights are D, C, B, A: description (C) 1, buyer (B) 2, title
	// (A) 3, as SQLite's bm25 weighs the columns.
	const q = `
		SELECT ` + noticeColumns + `
		FROM notices AS n, to_tsquery('simple', fold($1)) AS query
		WHERE n.search @@ query
		ORDER BY ts_rank('{0.1, 0.33, 0.67, 1.0}', n.search, query) DESC, n.seq DESC
		LIMIT $2`
	ns, err := s.queryNotices(ctx, q, query, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: search notices for %q: %w", query, err)
	}
	return ns, nil
}

// tsQuery builds a to_tsquery text that matches any of words, from plain
// words only: whatever a person typed, the result holds nothing but runs
// of letters and digits joined by <-> (a word's parts, in order), perhaps
// ending in :* (a prefix), and the words joined by |. Quotes, &, !,
// brackets and the like are gaps between parts; combining marks stay with
// their letter. A word with nothing left is dropped.
func tsQuery(words []string) string {
	var terms []string
	for _, w := range words {
		// Composed, so that a fold that knows "é" but not "e" and a
		// combining acute folds both spellings alike.
		w = norm.NFC.String(w)
		var parts []string
		var b strings.Builder
		flush := func() {
			if b.Len() > 0 {
				parts = append(parts, b.String())
				b.Reset()
			}
		}
		for _, r := range w {
			switch {
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				b.WriteRune(r)
			case unicode.Is(unicode.Mn, r) && b.Len() > 0:
				b.WriteRune(r)
			default:
				flush()
			}
		}
		flush()
		if len(parts) == 0 {
			continue
		}
		term := strings.Join(parts, " <-> ")
		if strings.HasSuffix(w, "*") {
			term += ":*"
		}
		if len(parts) > 1 {
			term = "(" + term + ")"
		}
		terms = append(terms, term)
	}
	return strings.Join(terms, " | ")
}

// CountNotices returns how many notices are stored.
func (s *Store) CountNotices(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM notices`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count notices: %w", err)
	}
	return n, nil
}

// noticeColumns are the columns scanNotice reads, in its order, from notices
// AS n.
const noticeColumns = `n.id, n.source, n.title, n.description, n.language, n.buyer, n.kind,
	n.cpv, n.nuts, n.country, n.value_amount, n.value_currency, n.deadline, n.published,
	n.url, n.procedure_id, n.lots, n.sources`

// queryNotices runs q, which selects noticeColumns.
func (s *Store) queryNotices(ctx context.Context, q string, args ...any) ([]bot.Notice, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	return collect(rows, err, func(row pgx.Rows) (bot.Notice, error) { return scanNotice(row) })
}

// scanNotice reads one row of noticeColumns.
func scanNotice(row pgx.Row) (bot.Notice, error) {
	var (
		n                     bot.Notice
		cpv, nuts, lots, srcs []byte
		amount                *float64
		currency              string
		deadline, published   *int64
	)
	err := row.Scan(&n.ID, &n.Source, &n.Title, &n.Description, &n.Language, &n.Buyer, &n.Kind,
		&cpv, &nuts, &n.Country, &amount, &currency, &deadline, &published,
		&n.URL, &n.ProcedureID, &lots, &srcs)
	if err != nil {
		return bot.Notice{}, err
	}
	if amount != nil {
		n.Value = &bot.Money{Amount: *amount, Currency: currency}
	}
	if err := codec.SetNoticeLists(&n, cpv, nuts, lots, srcs); err != nil {
		return bot.Notice{}, err
	}
	n.Deadline, n.Published = fromNullNano(deadline), fromNullNano(published)
	return n, nil
}
