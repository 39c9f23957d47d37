package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/storetest"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// BenchmarkFanOutWrite stores notices each fanning out to 2,000 alerts and
// 2,000 digest items that share its card, on SQLite and on PostgreSQL side
// by side, and reports the rows written per second:
//
//	TENDERBOT_TEST_POSTGRES_URL=… go test -run '^$' -bench FanOutWrite -benchtime 5x ./cmd/tenderbot/
func BenchmarkFanOutWrite(b *testing.B) {
	stores := []struct {
		name string
		cfg  func(b *testing.B) Config
	}{
		{"sqlite", func(b *testing.B) Config { return Config{DB: filepath.Join(b.TempDir(), "bench.db")} }},
		{"postgres", func(b *testing.B) Config { return Config{DatabaseURL: pgtest.URL(b)} }},
	}
	const alerts, held = 2000, 2000
	for _, st := range stores {
		b.Run("store="+st.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := openStore(ctx, st.cfg(b), false)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var spent time.Duration
			for i := range b.N {
				n := storetest.FullNotice()
				n.ID = fmt.Sprintf("bench-%d", i)
				shared := bot.Card{Notice: n, Ref: bot.NoticeRef(n.ID)}.For(0, "", nil)
				fx := bot.Effects{Card: &shared}
				for j := range alerts + held {
					to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%05d", j)}
					card := shared.For(int64(j+1), "profiel", []string{"cpv 45212225 under 45"})
					if j >= alerts {
						fx.Held = append(fx.Held, bot.DigestItem{To: to, Mode: bot.DeliverDaily, ProfileID: int64(j + 1), NoticeID: n.ID, Card: card})
						continue
					}
					fx.Deliveries = append(fx.Deliveries, bot.Delivery{Key: bot.AlertKey(to, n.ID), To: to, Purpose: bot.PurposeAlert,
						NoticeID: n.ID, ProfileID: int64(j + 1), Message: bot.AlertMessage(text.Printer{}, card, []string{card.Profile})})
				}
				start := time.Now()
				if _, err := s.SaveNotice(ctx, n, []string{"id:" + n.ID}, fx); err != nil {
					b.Fatal(err)
				}
				spent += time.Since(start)
			}
			b.ReportMetric(float64((alerts+held)*b.N)/spent.Seconds(), "rows/s")
		})
	}
}
