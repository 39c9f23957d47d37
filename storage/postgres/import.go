package postgres

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
)

// Import is a copy of a deployment into the store in progress: tables
// written with COPY, all in one transaction, so that a copy that fails
// leaves the database as it was.
type Import struct {
	tx pgx.Tx
}

// Import calls fn with an import in one transaction, committed when fn
// returns nil and rolled back otherwise.
func (s *Store) Import(ctx context.Context, fn func(*Import) error) error {
	err := s.write(ctx, func(tx pgx.Tx) error { return fn(&Import{tx: tx}) })
	if err != nil {
		return fmt.Errorf("postgres: import: %w", err)
	}
	return nil
}

// CountRows returns how many rows table holds, in the import's
// transaction.
func (im *Import) CountRows(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := im.tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// CopyTable writes rows, values of the columns named, into table with
// COPY, and returns how many it wrote. Values are converted to the
// column's type where the source's differ: a time.Time to nanoseconds, an
// integer 0 or 1 to a boolean. sequence is the largest id the source ever
// handed out in table (0: none), so that the table's identity continues
// past it and past every id copied.
func (im *Import) CopyTable(ctx context.Context, table string, columns []string, rows iter.Seq2[[]any, error], sequence int64) (int64, error) {
	types, err := im.columnTypes(ctx, table)
	if err != nil {
		return 0, err
	}
	convert := make([]func(any) (any, error), len(columns))
	for i, c := range columns {
		typ, ok := types[c]
		if !ok {
			return 0, fmt.Errorf("copy %s: the PostgreSQL schema has no column %s.%s", table, table, c)
		}
		convert[i] = converter(table+"."+c, typ)
	}
	next, stop := iter.Pull2(rows)
	defer stop()
	src := pgx.CopyFromFunc(func() ([]any, error) {
		values, err, ok := next()
		if !ok || err != nil {
			return nil, err
		}
		for i, v := range values {
			if values[i], err = convert[i](v); err != nil {
				return nil, err
			}
		}
		return values, nil
	})
	n, err := im.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", table, err)
	}
	if err := im.continueIdentity(ctx, table, sequence); err != nil {
		return n, err
	}
	return n, nil
}

// columnTypes returns the data types of table's columns.
func (im *Import) columnTypes(ctx context.Context, table string) (map[string]string, error) {
	const q = `
		SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'`
	rows, err := im.tx.Query(ctx, q, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		types[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("copy %s: the PostgreSQL schema has no table %s", table, table)
	}
	return types, nil
}

// converter returns the conversion of a source value for a column of the
// data type typ.
func converter(column, typ string) func(any) (any, error) {
	return func(v any) (any, error) {
		switch v := v.(type) {
		case time.Time:
			if typ != "bigint" {
				return nil, fmt.Errorf("%s: a time for a column of type %s", column, typ)
			}
			if err := checkTime(column, v); err != nil {
				return nil, err
			}
			return unixNano(v), nil
		case int64:
			if typ == "boolean" {
				return v != 0, nil
			}
		}
		return v, nil
	}
}

// continueIdentity moves table's identity column, if it has one, past the
// largest id copied and past sequence.
func (im *Import) continueIdentity(ctx context.Context, table string, sequence int64) error {
	const q = `
		SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'`
	var column string
	switch err := im.tx.QueryRow(ctx, q, table).Scan(&column); {
	case err == pgx.ErrNoRows:
		return nil
	case err != nil:
		return fmt.Errorf("identity of %s: %w", table, err)
	}
	set := fmt.Sprintf(`
		SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(m, $3, 1), GREATEST(m, $3) > 0)
		FROM (SELECT COALESCE(MAX(%s), 0) AS m FROM %s) AS t`,
		pgx.Identifier{column}.Sanitize(), pgx.Identifier{table}.Sanitize())
	if _, err := im.tx.Exec(ctx, set, pgx.Identifier{table}.Sanitize(), column, sequence); err != nil {
		return fmt.Errorf("identity of %s: %w", table, err)
	}
	return nil
}
