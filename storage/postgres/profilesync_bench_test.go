package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/profilesync"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// BenchmarkProfileChangeReachesReplica measures how long a profile change
// made on one replica takes to reach another replica's index: told by
// NOTIFY, and found by the look every 2 seconds alone (no notification).
//
//	TENDERBOT_TEST_POSTGRES_URL=… go test -run '^$' -bench ProfileChangeReachesReplica -benchtime 20x ./storage/postgres/
func BenchmarkProfileChangeReachesReplica(b *testing.B) {
	for _, bc := range []struct {
		name   string
		every  time.Duration
		listen bool
	}{
		{"notify", syncEvery, true},
		{"look_every_2s", profilesync.DefaultEvery, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			_, url := pgtest.Schema(b)
			clock := bottest.NewClock(epoch)
			writer := openAt(b, url, clock)
			reader := startReplica(b, url, clock, bc.every, bc.listen)
			ctx := context.Background()
			p := bot.Profile{Subscriber: alice, Name: "bouw", Query: "zwembad", Delivery: bot.DeliverInstant}
			if err := writer.CreateProfile(ctx, &p); err != nil {
				b.Fatal(err)
			}
			sporthal := replicaNotice("n-sporthal", "Renovatie sporthal De Sluis")
			b.ResetTimer()
			for i := range b.N {
				p.Query = map[bool]string{true: "sporthal", false: "zwembad"}[i%2 == 0]
				if err := writer.UpdateProfile(ctx, p); err != nil {
					b.Fatal(err)
				}
				reader.matcher.waitMatch(b, sporthal, i%2 == 0, 5*time.Second)
			}
		})
	}
}
