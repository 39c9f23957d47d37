package outbox_test

import (
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
)

func TestLaneAdmitsABurstThenOneAnInterval(t *testing.T) {
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
			[]time.Duration{0, 0, 0, 0, 0, 0, 500 * time.Millisecond, time.Second},
			[]time.Duration{0, 0, 0, 0, 0, time.Second, 500 * time.Millisecond, 0}},
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
