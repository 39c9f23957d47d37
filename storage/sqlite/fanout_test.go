package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// A fan-out's rows are written many to a statement; across the statements'
// boundaries, a key given twice (in one statement or in two) and a key
// stored already each leave one row, and the hourly counts see each new
// alert once.
func TestFanOutWritesEachKeyOnce(t *testing.T) {
	for _, n := range []int{1, rowsPerInsert - 1, rowsPerInsert, rowsPerInsert + 1, 3*rowsPerInsert + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTestStore(t)
			subs := make([]bot.Subscriber, n)
			var fx bot.Effects
			for i := range subs {
				subs[i] = bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%04d", i)}
				d := bot.Delivery{Key: bot.AlertKey(subs[i], "n1"), To: subs[i], Purpose: bot.PurposeAlert, NoticeID: "n1", Message: bot.Message{Text: "x"}}
				fx.Deliveries = append(fx.Deliveries, d)
				fx.Held = append(fx.Held, bot.DigestItem{To: subs[i], Mode: bot.DeliverDaily, NoticeID: "n1", Card: bot.Card{Notice: bot.Notice{ID: "n1", Title: "t"}}})
			}
			// The first subscriber's alert stored before; the last one's
			// alert and digest item given twice, at either end.
			first := fx.Deliveries[0]
			if _, err := s.Enqueue(ctx, &first); err != nil {
				t.Fatal(err)
			}
			fx.Deliveries = append([]bot.Delivery{fx.Deliveries[n-1]}, fx.Deliveries...)
			fx.Held = append(fx.Held, fx.Held[n-1])
			if _, err := s.SaveNotice(ctx, bot.Notice{ID: "n1", Title: "t"}, nil, fx); err != nil {
				t.Fatal(err)
			}
			var alerts, items int
			if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT key) FROM outbox`).Scan(&alerts, new(int)); err != nil {
				t.Fatal(err)
			}
			if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM digest_items`).Scan(&items); err != nil {
				t.Fatal(err)
			}
			if alerts != n || items != n {
				t.Errorf("got %d deliveries and %d digest items, want %d of each", alerts, items, n)
			}
			counts, err := s.CountsSince(ctx, subs, bot.PurposeAlert, epoch.Add(-1))
			if err != nil {
				t.Fatal(err)
			}
			for _, sub := range subs {
				if counts[sub] != 1 {
					t.Errorf("%s: %d alerts counted, want 1", sub.Key(), counts[sub])
				}
			}
		})
	}
}
