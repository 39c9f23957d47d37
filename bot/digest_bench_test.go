package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/storetest"
)

// BenchmarkDailyDigests100k builds the daily digests of 100,000
// subscribers, two held matches each, at digest time: one run is the work
// of a digest morning.
//
//	go test -run '^$' -bench DailyDigests -benchtime 1x ./bot/
func BenchmarkDailyDigests100k(b *testing.B) {
	const subscribers = 100_000
	for range b.N {
		b.StopTimer()
		h := newStreamHarness(b, 0)
		for k := range 2 {
			n := storetest.FullNotice()
			n.ID = fmt.Sprintf("n-%d", k)
			shared := bot.Card{Notice: n, Ref: bot.NoticeRef(n.ID)}.For(0, "", nil)
			fx := bot.Effects{Card: &shared}
			for i := range subscribers {
				to := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "bench", User: fmt.Sprintf("u%06d", i)}
				fx.Held = append(fx.Held, bot.DigestItem{To: to, Mode: bot.DeliverDaily, ProfileID: int64(i + 1), NoticeID: n.ID, Card: shared.For(int64(i+1), "bouw", []string{"cpv 45"})})
			}
			if _, err := h.store.SaveNotice(h.ctx, n, nil, fx); err != nil {
				b.Fatal(err)
			}
		}
		h.clock.Advance(24 * time.Hour)
		b.StartTimer()
		if err := h.schedule.RunDue(h.ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stats, err := h.store.Stats(h.ctx)
		if err != nil || stats.Pending != subscribers {
			b.Fatalf("pending after the digests: %d, %v; want %d", stats.Pending, err, subscribers)
		}
	}
}
