package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// TestLanesAreSharedByEveryReplica has three stores on one schema, as
// three replicas, ask at once for many sends in a Discord channel (5 per
// 5 s) under a global limit of 7 a second: the limits hold for all of
// them together, spread evenly, and a send refused by one lane counts in
// none.
func TestLanesAreSharedByEveryReplica(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	stores := make([]*Store, 3)
	for i := range stores {
		stores[i] = openAt(t, url, nil)
	}
	channel := outbox.Lane{Name: "conversation:discord/g/#c1", Rate: bot.Rate{Events: 5, Per: 5 * time.Second}}
	other := outbox.Lane{Name: "conversation:discord/g/#c2", Rate: bot.Rate{Events: 5, Per: 5 * time.Second}}
	global := outbox.Lane{Name: "platform:discord", Rate: bot.Rate{Events: 7, Per: time.Second}}
	take := func(at time.Time, lanes ...outbox.Lane) (sent int) {
		t.Helper()
		var n atomic.Int64
		var wg sync.WaitGroup
		for i := range 30 { // 10 senders a replica, all at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				wait, err := stores[i%3].TakeLanes(ctx, lanes, at)
				if err != nil {
					t.Error(err)
				}
				if wait == 0 {
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		return int(n.Load())
	}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if got := take(t0, channel, global); got != 1 {
		t.Errorf("30 sends at once to one channel from 3 replicas: got %d allowed, want 1 (the sends spread evenly)", got)
	}
	// The channel's refused sends counted nothing against the global lane,
	// whose next send may go a seventh of a second later.
	if got := take(t0.Add(100*time.Millisecond), other, global); got != 0 {
		t.Errorf("then 30 to another channel within a seventh of a second: got %d allowed, want 0 (the 7 a second in all)", got)
	}
	if got := take(t0.Add(200*time.Millisecond), other, global); got != 1 {
		t.Errorf("then 30 to another channel a moment later: got %d allowed, want 1", got)
	}
	if got := take(t0.Add(time.Second), channel, global); got != 1 {
		t.Errorf("a second later to the first channel: got %d allowed, want 1 (one a second)", got)
	}
	wait, err := stores[0].TakeLanes(ctx, []outbox.Lane{channel}, t0.Add(time.Second))
	if err != nil || wait != time.Second {
		t.Errorf("the first channel's wait: got %v, %v; want 1s", wait, err)
	}
}

// TestLanesFollowAdmit checks the store's lanes, kept in SQL, against
// outbox.Lane.Admit, the rule in Go: the same sends at the same times get
// the same waits.
func TestLanesFollowAdmit(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 21))
	lanes := []outbox.Lane{
		{Name: "conversation:slack/T/#a", Rate: bot.Rate{Events: 1, Per: time.Second}},
		{Name: "conversation:discord/g/#b", Rate: bot.Rate{Events: 5, Per: 5 * time.Second}},
		{Name: "platform:discord", Rate: bot.Rate{Events: 3, Per: time.Second}},
	}
	next := make([]time.Time, len(lanes))
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for i := range 300 {
		at = at.Add(time.Duration(rng.IntN(700)) * time.Millisecond)
		var take []int // which lanes this send counts against
		for j := range lanes {
			if rng.IntN(2) == 0 {
				take = append(take, j)
			}
		}
		if len(take) == 0 {
			continue
		}
		var want time.Duration
		afters := map[int]time.Time{}
		asked := []outbox.Lane{}
		for _, j := range take {
			w, after := lanes[j].Admit(next[j], at)
			want = max(want, w)
			afters[j] = after
			asked = append(asked, lanes[j])
		}
		got, err := s.TakeLanes(ctx, asked, at)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("send %d at %s to %v: got wait %v, want %v", i, at.Format("15:04:05.000"), take, got, want)
		}
		if want == 0 {
			for j, after := range afters {
				next[j] = after
			}
		}
	}
}

// BenchmarkTakeLanes takes a conversation's lane and the platform's for
// each send, from one store and from three on one schema (replicas), all
// at once, and reports the sends admitted per second: what shared limits
// cost a send.
//
//	TENDERBOT_TEST_POSTGRES_URL=… go test -run '^$' -bench TakeLanes ./storage/postgres/
func BenchmarkTakeLanes(b *testing.B) {
	for _, replicas := range []int{1, 3} {
		b.Run(fmt.Sprintf("replicas=%d", replicas), func(b *testing.B) {
			url := pgtest.URL(b)
			ctx := context.Background()
			stores := make([]*Store, replicas)
			for i := range stores {
				stores[i] = openAt(b, url, nil)
			}
			global := outbox.Lane{Name: "platform:discord", Rate: bot.Rate{Events: 1 << 30, Per: time.Second}}
			var next atomic.Int64
			now := time.Now()
			b.ResetTimer()
			var wg sync.WaitGroup
			for i := range replicas * 2 { // two senders a replica
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						n := next.Add(1)
						if n > int64(b.N) {
							return
						}
						channel := outbox.Lane{Name: fmt.Sprintf("conversation:discord/g/#c%d", n%300), Rate: bot.Rate{Events: 1 << 30, Per: time.Second}}
						if _, err := stores[i%replicas].TakeLanes(ctx, []outbox.Lane{channel, global}, now); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sends/s")
		})
	}
}
