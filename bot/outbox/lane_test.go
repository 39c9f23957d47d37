package outbox_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
)

func TestLaneSpreadsSendsEvenly(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		rate  bot.Rate
		sends []time.Duration // when each send is asked for, from t0
		want  []time.Duration // the wait each is given (0: sent)
	}{
		{"slack: one a second", bot.Rate{Events: 1, Per: time.Second},
			[]time.Duration{0, 0, 400 * time.Millisecond, time.Second, 3 * time.Second},
			[]time.Duration{0, time.Second, 600 * time.Millisecond, 0, 0}},
		{"discord channel: five in five seconds", bot.Rate{Events: 5, Per: 5 * time.Second},
			[]time.Duration{0, 0, 500 * time.Millisecond, time.Second, time.Second, 3 * time.Second},
			[]time.Duration{0, time.Second, 500 * time.Millisecond, 0, time.Second, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lane := outbox.Lane{Name: "conversation:x", Rate: tt.rate}
			var next time.Time
			for i, at := range tt.sends {
				wait, after := lane.Admit(next, t0.Add(at))
				if wait != tt.want[i] {
					t.Errorf("send %d at %v: got wait %v, want %v", i, at, wait, tt.want[i])
				}
				if wait == 0 {
					next = after
				}
			}
		})
	}
}

// A lane never lets more than its Events sends go in any stretch of Per,
// as a platform counting sends a window (Discord's buckets) demands.
func TestLaneNeverExceedsItsRateInAnyWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	lane := outbox.Lane{Name: "conversation:x", Rate: bot.Rate{Events: 5, Per: 5 * time.Second}}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var next time.Time
	var sent []time.Time
	for range 2000 {
		at = at.Add(time.Duration(rng.IntN(600)) * time.Millisecond)
		if wait, after := lane.Admit(next, at); wait == 0 {
			next = after
			sent = append(sent, at)
		}
	}
	for i := lane.Rate.Events; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-lane.Rate.Events]); gap < lane.Rate.Per {
			t.Fatalf("sends %d and %d went %v apart: %d sends within %v", i-lane.Rate.Events, i, gap, lane.Rate.Events+1, lane.Rate.Per)
		}
	}
	if len(sent) < 400 { // about 600 s of asking, at one a second at most
		t.Errorf("only %d of 2000 asked sends went, want the lane kept busy", len(sent))
	}
}
