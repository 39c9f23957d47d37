package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// bulkStatements are the fan-out's multi-row INSERTs of every size up to
// rowsPerInsert, prepared once on the writer's connection when the store
// opens. A transaction takes them with Tx.StmtContext, which runs them on
// the connection they were prepared on, so that a notice's fan-out does
// not parse statements of 64 value tuples again; on a new connection
// database/sql prepares them there.
type bulkStatements struct {
	deliveries, items [rowsPerInsert + 1]*sql.Stmt // by rows
}

// prepareBulk prepares the statements on db.
func prepareBulk(ctx context.Context, db *sql.DB) (*bulkStatements, error) {
	b := &bulkStatements{}
	for rows := 1; rows <= rowsPerInsert; rows++ {
		var err error
		if b.deliveries[rows], err = db.PrepareContext(ctx, deliveryInsert.sql(rows)); err != nil {
			b.close()
			return nil, fmt.Errorf("prepare the insert of %d deliveries: %w", rows, err)
		}
		if b.items[rows], err = db.PrepareContext(ctx, digestInsert.sql(rows)); err != nil {
			b.close()
			return nil, fmt.Errorf("prepare the insert of %d digest items: %w", rows, err)
		}
	}
	return b, nil
}

// delivery returns the insert of rows deliveries, nil when b is nil.
func (b *bulkStatements) delivery(rows int) *sql.Stmt {
	if b == nil {
		return nil
	}
	return b.deliveries[rows]
}

// item returns the insert of rows digest items, nil when b is nil.
func (b *bulkStatements) item(rows int) *sql.Stmt {
	if b == nil {
		return nil
	}
	return b.items[rows]
}

// close releases the statements.
func (b *bulkStatements) close() error {
	var errs []error
	for _, set := range [][rowsPerInsert + 1]*sql.Stmt{b.deliveries, b.items} {
		for _, st := range set {
			if st != nil {
				errs = append(errs, st.Close())
			}
		}
	}
	return errors.Join(errs...)
}
