package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// BenchmarkRereadUnchangedFeed reads a feed of 10,000 notices again as it
// was: the cost of a big feed without validators on every poll.
func BenchmarkRereadUnchangedFeed(b *testing.B) {
	h := newStreamHarness(b, 0)
	notices := make([]bot.Notice, 10000)
	for i := range notices {
		notices[i] = notice(fmt.Sprintf("big-%05d", i), fmt.Sprintf("Onderhoud object %d", i), "45000000", "NL213", start.Add(-time.Hour))
	}
	h.poll(notices...)
	b.ResetTimer()
	for range b.N {
		h.poll(notices...)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(notices)), "µs/notice")
}
