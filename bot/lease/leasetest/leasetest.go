// Package leasetest gives tests a table of leases in memory, on the wall
// clock, with the rules of the store's: the tests of storage/postgres run
// the same rules on the real database.
package leasetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Table is a lease.Releaser in memory. Its methods are safe for
// concurrent use.
type Table struct {
	mu    sync.Mutex
	owner map[string]string
	until map[string]time.Time
	// Failing makes every call fail, as with the database gone.
	Failing atomic.Bool
}

// ErrDown is what a Failing table returns.
var ErrDown = errors.New("database unreachable")

// NewTable returns an empty table.
func NewTable() *Table {
	return &Table{owner: map[string]string{}, until: map[string]time.Time{}}
}

// HoldLease takes or renews the lease for owner unless another owner
// holds it and it has not run out.
func (t *Table) HoldLease(_ context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if t.Failing.Load() {
		return false, ErrDown
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if o, ok := t.owner[name]; ok && o != owner && now.Before(t.until[name]) {
		return false, nil
	}
	t.owner[name], t.until[name] = owner, now.Add(ttl)
	return true, nil
}

// ReleaseLease ends owner's lease.
func (t *Table) ReleaseLease(_ context.Context, name, owner string) error {
	if t.Failing.Load() {
		return ErrDown
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.owner[name] == owner {
		delete(t.owner, name)
		delete(t.until, name)
	}
	return nil
}

// Holder returns who holds the lease now, "" when nobody does.
func (t *Table) Holder(name string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if time.Now().Before(t.until[name]) {
		return t.owner[name]
	}
	return ""
}
