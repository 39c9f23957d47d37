package postgres

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/schedule"
)

func TestWorkLeaseHasOneHolderUntilItRunsOut(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	hold := func(owner string) bool {
		t.Helper()
		held, err := s.HoldLease(ctx, "schedule", owner, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return held
	}
	if !hold("a") {
		t.Fatal("a free lease was not taken")
	}
	if hold("b") {
		t.Error("b took a's lease while it ran")
	}
	clock.Advance(50 * time.Second)
	if !hold("a") {
		t.Error("a could not renew its own lease")
	}
	clock.Advance(50 * time.Second) // 100 s: within a's renewed minute
	if hold("b") {
		t.Error("b took the lease a renewed")
	}
	clock.Advance(11 * time.Second)
	if !hold("b") {
		t.Error("b did not take over the lease a let run out")
	}
	if hold("a") {
		t.Error("a took back the lease b holds")
	}
	if held, err := s.HoldLease(ctx, "another", "a", time.Minute); err != nil || !held {
		t.Errorf("another lease: %v, %v; want it free", held, err)
	}
}

// countingDigests counts the scheduled rounds that read the held digest
// items, on the real store.
type countingDigests struct {
	*Store
	reads atomic.Int64
}

func (c *countingDigests) DigestItems(ctx context.Context, mode bot.DeliveryMode, before time.Time) ([]bot.DigestItem, error) {
	c.reads.Add(1)
	return c.Store.DigestItems(ctx, mode, before)
}

// TestScheduledWorkRunsOnOneReplica: of two schedulers on one database,
// the one holding the lease does the rounds; the other takes over once the
// holder stops and its lease runs out.
func TestScheduledWorkRunsOnOneReplica(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	a, b := &countingDigests{Store: s}, &countingDigests{Store: s}
	first := schedule.New(schedule.Options{Store: a, Clock: clock, Owner: "replica-a"})
	second := schedule.New(schedule.Options{Store: b, Clock: clock, Owner: "replica-b"})
	for range 3 {
		for _, sch := range []*schedule.Scheduler{first, second} {
			if err := sch.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(time.Minute)
	}
	if a.reads.Load() != 6 || b.reads.Load() != 0 { // daily and weekly, each round
		t.Fatalf("digest reads: replica a %d, b %d; want 6 and 0", a.reads.Load(), b.reads.Load())
	}
	clock.Advance(4 * time.Minute) // a is gone: its lease runs out
	if err := second.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if b.reads.Load() != 2 {
		t.Errorf("after a stopped, replica b read the digests %d times, want 2", b.reads.Load())
	}
}

func TestReleasedLeaseIsFreeAtOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if held, err := s.HoldLease(ctx, "discord-gateway", "a", time.Minute); err != nil || !held {
		t.Fatalf("a: %v, %v", held, err)
	}
	if err := s.ReleaseLease(ctx, "discord-gateway", "b"); err != nil {
		t.Fatal(err)
	}
	if held, _ := s.HoldLease(ctx, "discord-gateway", "b", time.Minute); held {
		t.Fatal("b's release ended a's lease")
	}
	if err := s.ReleaseLease(ctx, "discord-gateway", "a"); err != nil {
		t.Fatal(err)
	}
	if held, err := s.HoldLease(ctx, "discord-gateway", "b", time.Minute); err != nil || !held {
		t.Errorf("after a released it, b: %v, %v; want the lease", held, err)
	}
}
