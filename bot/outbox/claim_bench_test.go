package outbox_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/outbox"
)

// noop is a messenger that sends nowhere, so that a benchmark measures
// the claims and their records, not a platform.
type noop struct{}

func (noop) Send(context.Context, bot.Subscriber, bot.Message) (string, error) { return "m", nil }

// waiting is a messenger that takes as long as a platform's round trip to
// answer each send.
type waiting struct{ roundTrip time.Duration }

func (w waiting) Send(ctx context.Context, _ bot.Subscriber, _ bot.Message) (string, error) {
	select {
	case <-time.After(w.roundTrip):
		return "m", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// BenchmarkClaimReplicas drains 3,000 deliveries to 300 people through 1
// and through 3 workers on one PostgreSQL database, and reports deliveries
// claimed, sent and recorded per second: to a messenger that answers at
// once (send=0: what the database allows) and to one that takes a
// platform's round trip of 5 ms a send (send=5ms: what replicas add when
// the platform, not the database, is what a worker waits for). It also
// reports the machine's processor cores kept busy while the workers drain
// (busy_cores, on Linux), the server's and the workers' together: when
// one worker keeps busy half the cores of the machine they share, no
// number of workers on it can more than double what one does.
//
//	TENDERBOT_TEST_POSTGRES_URL=… go test -run '^$' -bench ClaimReplicas -benchtime 3x ./bot/outbox/
func BenchmarkClaimReplicas(b *testing.B) {
	for _, send := range []time.Duration{0, 5 * time.Millisecond} {
		var messenger bot.Messenger = noop{}
		if send > 0 {
			messenger = waiting{send}
		}
		for _, n := range []int{1, 3} {
			b.Run(fmt.Sprintf("send=%s/replicas=%d", send, n), func(b *testing.B) {
				benchmarkClaims(b, n, messenger)
			})
		}
	}
}

// benchmarkClaims drains 3,000 deliveries to 300 people through n workers
// sending with m.
func benchmarkClaims(b *testing.B, n int, m bot.Messenger) {
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	var total time.Duration
	var busy cpuTime
	const people, each = 300, 10
	for range b.N {
		b.StopTimer()
		stores := replicasB(b, n, clock)
		var ds []bot.Delivery
		for i := range each {
			for p := range people {
				to := person(fmt.Sprintf("p%03d", p))
				ds = append(ds, bot.Delivery{Key: fmt.Sprintf("alert:%d:%s", i, to.User), To: to,
					Purpose: bot.PurposeAlert, Message: bot.Message{Text: "x"}, DueAt: clock.Now()})
			}
		}
		for i := range ds {
			if _, err := stores[0].Enqueue(ctx, &ds[i]); err != nil {
				b.Fatal(err)
			}
		}
		var workers []*outbox.Worker
		for i, s := range stores {
			workers = append(workers, outbox.New(outbox.Options{Store: s, Clock: clock, Owner: fmt.Sprint(i),
				Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: m}}))
		}
		b.StartTimer()
		start, before := time.Now(), readCPUTime()
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					if err := w.DeliverDue(ctx); err != nil {
						b.Error(err)
						return
					}
					_, pending, err := stores[0].NextDue(ctx, []bot.Platform{bot.PlatformConsole}, clock.Now())
					if err != nil || !pending {
						return
					}
				}
			}()
		}
		wg.Wait()
		total += time.Since(start)
		busy = busy.add(readCPUTime().since(before))
		for _, s := range stores {
			s.Close() // each iteration has a schema of its own: its connections go with it
		}
	}
	b.ReportMetric(float64(people*each*b.N)/total.Seconds(), "deliveries/s")
	if busy.total > 0 {
		b.ReportMetric(busy.cores(), "busy_cores")
	}
}

// cpuTime is what /proc/stat counts of the machine's processor time, in
// ticks summed over its cores: busy, and in all, and the cores counted.
type cpuTime struct{ busy, total, ncpu int64 }

// readCPUTime reads the machine's processor time so far, or nothing where
// there is no /proc/stat.
func readCPUTime() cpuTime {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTime{}
	}
	var t cpuTime
	for i, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "cpu") {
			continue
		}
		if i > 0 {
			t.ncpu++ // cpu0, cpu1, …
			continue
		}
		for j, f := range fields[1:] { // user nice system idle iowait irq softirq steal
			n, _ := strconv.ParseInt(f, 10, 64)
			t.total += n
			if j != 3 && j != 4 { // idle and waiting for I/O are not busy
				t.busy += n
			}
		}
	}
	return t
}

// since is the processor time from before to t.
func (t cpuTime) since(before cpuTime) cpuTime {
	return cpuTime{busy: t.busy - before.busy, total: t.total - before.total, ncpu: t.ncpu}
}

// add sums two spans of processor time.
func (t cpuTime) add(u cpuTime) cpuTime {
	return cpuTime{busy: t.busy + u.busy, total: t.total + u.total, ncpu: u.ncpu}
}

// cores is how many cores the span kept busy, on average.
func (t cpuTime) cores() float64 {
	return float64(t.busy) / float64(t.total) * float64(t.ncpu)
}
