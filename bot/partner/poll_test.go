package partner_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// recordingReader reads feeds now by recording which, as a poller would
// read them.
type recordingReader struct {
	mu   sync.Mutex
	read []int64
	err  error
}

func (r *recordingReader) ReadNow(_ context.Context, feed bot.Feed) bot.PollResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.read = append(r.read, feed.ID)
	return bot.PollResult{Items: 3, Err: r.err}
}

// elsewhere is the poller's error for a feed another replica reads.
type elsewhere struct{}

func (elsewhere) Error() string       { return "another replica of the bot reads this feed" }
func (elsewhere) ReadElsewhere() bool { return true }

func TestFeedsPollReadsAFeedNow(t *testing.T) {
	h := newHarness(t)
	reader := &recordingReader{}
	h.partners.SetReader(reader)
	if got := h.say(alice, "feeds poll").Text; !strings.Contains(got, "admin") || len(reader.read) != 0 {
		t.Errorf("a non-admin: got %q and %d reads, want a refusal", got, len(reader.read))
	}
	got := h.say(admin, "feeds poll").Text
	if len(reader.read) != 1 || reader.read[0] != h.feed.ID || !strings.Contains(got, "test feed") || !strings.Contains(got, "3 items") {
		t.Errorf("feeds poll: got %q, reads %v; want the test feed read", got, reader.read)
	}
	if got := h.say(admin, "feeds poll 99").Text; !strings.Contains(got, "no feed #99") {
		t.Errorf("an unknown feed: got %q", got)
	}
	reader.err = errors.New("read https://feeds.example/tenders.xml: dial tcp 10.0.0.1:443: connection refused")
	if got := h.say(admin, "feeds poll 1").Text; !strings.Contains(got, "failed") || strings.Contains(got, "dial tcp") {
		t.Errorf("a failed read: got %q, want it said without Go's error text", got)
	}
	reader.err = fmt.Errorf("read https://feeds.example/tenders.xml: %w", elsewhere{})
	if got := h.say(admin, "feeds poll 1").Text; !strings.Contains(got, "another replica") || strings.Contains(got, "failed") {
		t.Errorf("a feed another replica reads: got %q, want that said, not a failure", got)
	}
	if got := h.say(admin, "feeds").Text; !strings.Contains(got, "Feeds (") {
		t.Errorf("feeds still lists: %q", got)
	}
}
