package lease_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot/lease"
	"github.com/tenderbot/tenderbot/bot/lease/leasetest"
)

// unreleasing is a table whose leases cannot be handed back: a leader
// on it that stops is one that died.
type unreleasing struct{ lease.Leaser }

func newTable() *leasetest.Table { return leasetest.NewTable() }

const ttl = 150 * time.Millisecond

func TestDoKeepsTheLeaseWhileTheWorkRuns(t *testing.T) {
	l := newTable()
	ran, err := lease.Do(context.Background(), l, "feed:1", "a", ttl, func(ctx context.Context) {
		select {
		case <-time.After(3 * ttl): // longer than the lease lasts unrenewed
		case <-ctx.Done():
			t.Error("the work was cancelled although its lease was renewed")
		}
		if got := l.Holder("feed:1"); got != "a" {
			t.Errorf("holder after 3 lease times of work: %q, want a", got)
		}
	})
	if err != nil || !ran {
		t.Fatalf("Do on a free lease: ran %v, err %v", ran, err)
	}
	ran, err = lease.Do(context.Background(), l, "feed:1", "b", ttl, func(context.Context) {
		t.Error("b worked under a's lease")
	})
	if err != nil || ran {
		t.Errorf("Do on a's lease by b: ran %v, err %v; want false, nil", ran, err)
	}
}

func TestDoStopsTheWorkWhenTheLeaseCannotBeRenewed(t *testing.T) {
	l := newTable()
	start := time.Now()
	var stopped time.Duration
	ran, err := lease.Do(context.Background(), l, "gateway", "a", ttl, func(ctx context.Context) {
		l.Failing.Store(true)
		select {
		case <-ctx.Done():
			stopped = time.Since(start)
		case <-time.After(10 * ttl):
			t.Error("the work went on with its lease unrenewed past its end")
		}
	})
	if err != nil || !ran {
		t.Fatalf("ran %v, err %v", ran, err)
	}
	if stopped >= ttl {
		t.Errorf("work stopped %s after the lease was taken, want before it runs out (%s)", stopped, ttl)
	}
}

func TestLeaderHandsOverWhenItsHolderDies(t *testing.T) {
	l := unreleasing{newTable()} // a stopped leader is a dead one
	var mu sync.Mutex
	running := map[string]bool{}
	var overlap atomic.Bool
	work := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			mu.Lock()
			for other, on := range running {
				if on && other != name {
					overlap.Store(true)
				}
			}
			running[name] = true
			mu.Unlock()
			<-ctx.Done()
			mu.Lock()
			running[name] = false
			mu.Unlock()
		}
	}
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	a := lease.NewLeader(l, lease.LeaderOptions{Name: "gateway", Owner: "a", TTL: ttl})
	b := lease.NewLeader(l, lease.LeaderOptions{Name: "gateway", Owner: "b", TTL: ttl})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.Lead(ctxA, work("a")) }()
	waitFor(t, a.Held, "a to lead")
	go func() { defer wg.Done(); b.Lead(ctxB, work("b")) }()
	time.Sleep(2 * ttl) // b tries, and must not take a's renewed lease
	if b.Held() || !a.Held() {
		t.Fatalf("a held %v, b held %v; want only a", a.Held(), b.Held())
	}
	stopA()
	died := time.Now()
	waitFor(t, b.Held, "b to take over")
	if took := time.Since(died); took > ttl+ttl/3+ttl { // the lease, b's next try, slack
		t.Errorf("b took over %s after a died, want within about %s", took, ttl+ttl/3)
	}
	stopB()
	wg.Wait()
	if overlap.Load() {
		t.Error("a and b did the work at the same time")
	}
}

func TestLeaderReleasesWhenItStops(t *testing.T) {
	l := newTable()
	ctx, stop := context.WithCancel(context.Background())
	a := lease.NewLeader(l, lease.LeaderOptions{Name: "gateway", Owner: "a", TTL: time.Minute})
	done := make(chan struct{})
	go func() { defer close(done); a.Lead(ctx, func(ctx context.Context) { <-ctx.Done() }) }()
	waitFor(t, a.Held, "a to lead")
	stop()
	<-done
	if got := l.Holder("gateway"); got != "" {
		t.Errorf("after a stopped, %q holds the lease; want it free for the next replica at once", got)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hanging is a table whose renewals hang until they are given up.
type hanging struct {
	*leasetest.Table
	hang atomic.Bool
}

func (h *hanging) HoldLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if h.hang.Load() {
		<-ctx.Done()
		return false, ctx.Err()
	}
	return h.Table.HoldLease(ctx, name, owner, ttl)
}

func TestDoStopsTheWorkWhenARenewalHangs(t *testing.T) {
	l := &hanging{Table: newTable()}
	start := time.Now()
	var stopped time.Duration
	lease.Do(context.Background(), l, "gateway", "a", ttl, func(ctx context.Context) {
		l.hang.Store(true)
		select {
		case <-ctx.Done():
			stopped = time.Since(start)
		case <-time.After(10 * ttl):
			t.Error("the work went on while its renewal hung past the lease's end")
		}
	})
	if stopped >= ttl {
		t.Errorf("work stopped %s after the lease was taken, want before it runs out (%s)", stopped, ttl)
	}
}
