package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func chunkTests() []test {
	return []test{
		{"FanOutInChunksWritesEachRowOnce", testFanOutInChunksWritesEachRowOnce},
		{"FanOutStoppedAfterItsFirstChunkIsFinishedOnce", testFanOutStoppedAfterItsFirstChunkIsFinishedOnce},
	}
}

// A fan-out of more rows than its chunk writes the first chunk with the
// notice and keeps the rest for ContinueFanOuts, which writes every kept
// row exactly once, however often it is called.
func testFanOutInChunksWritesEachRowOnce(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	shared := sharedCard("Twente Business Desk")
	fx := fanOut(shared, people, epoch) // three alerts, two digest items
	fx.Chunk = 2
	if _, err := s.SaveNotice(ctx, shared.Notice, nil, fx); err != nil {
		t.Fatal(err)
	}
	if got := writtenRows(s); got != 2 {
		t.Errorf("rows written with the notice: %d, want the chunk's 2", got)
	}
	written, err := s.ContinueFanOuts(ctx)
	if err != nil || written != 3 {
		t.Errorf("ContinueFanOuts: %d rows, %v; want the 3 kept", written, err)
	}
	if again, err := s.ContinueFanOuts(ctx); err != nil || again != 0 {
		t.Errorf("ContinueFanOuts again: %d rows, %v; want none", again, err)
	}
	comesBack(t, s, fx, "written in chunks")
}

// writtenRows counts the deliveries due and the daily digest items held;
// -1 when they cannot be read.
func writtenRows(s bot.Store) int {
	ctx := context.Background()
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformConsole}, epoch.Add(24*time.Hour), 0, 1000)
	if err != nil {
		return -1
	}
	items, err := s.DigestItems(ctx, bot.DeliverDaily, epoch.Add(24*time.Hour))
	if err != nil {
		return -1
	}
	return len(due) + len(items)
}

// stopping is a store that stops every fan-out after its first chunk, as
// a crash between two chunks does.
type stopping struct{ bot.Store }

var errStopped = errors.New("stopped")

// ContinueFanOuts stops, unless nothing is kept: a bot starting finds
// nothing to do.
func (s stopping) ContinueFanOuts(ctx context.Context) (int, error) {
	if rows := writtenRows(s.Store); rows == 0 {
		return 0, nil
	}
	return 0, errStopped
}

// A notice whose fan-out stopped after its first chunk is stored with its
// first chunk, and a fresh bot on the same store, starting, writes the
// rest: every recipient gets exactly one alert or digest item.
func testFanOutStoppedAfterItsFirstChunkIsFinishedOnce(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	const subscribers = 11
	for i := range subscribers {
		mode := bot.DeliverInstant
		if i%3 == 0 {
			mode = bot.DeliverDaily
		}
		p := bot.Profile{Subscriber: bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%02d", i)},
			Name: "bouw", Query: "everything", Delivery: mode}
		if err := s.CreateProfile(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	newBot := func(store bot.Store) *bot.Bot {
		b := bot.New(bot.Options{Store: store, Matcher: &matchAll{}, Clock: clock, FanOutChunk: 4})
		if err := b.Start(ctx); err != nil {
			t.Fatalf("start: %v", err)
		}
		return b
	}
	n := FullNotice()
	feed := bot.Feed{ID: 1, Name: "test feed", LastSuccess: n.Published.Add(-time.Hour)}
	if err := newBot(stopping{s}).Ingest(ctx, feed, []bot.Notice{n}); !errors.Is(err, errStopped) {
		t.Fatalf("ingest stopped after the first chunk: %v, want it stopped", err)
	}
	if got := writtenRows(s); got != 4 {
		t.Errorf("rows written before the stop: %d, want the first chunk's 4", got)
	}
	if _, err := s.Notice(ctx, n.ID); err != nil {
		t.Errorf("the notice after the stop: %v, want it stored", err)
	}
	newBot(s)
	got := map[string]int{}
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, epoch.Add(24*time.Hour), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		got[d.To.User]++
	}
	items, err := s.DigestItems(ctx, bot.DeliverDaily, epoch.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		got[it.To.User]++
	}
	for i := range subscribers {
		if user := fmt.Sprintf("U%02d", i); got[user] != 1 {
			t.Errorf("%s has %d alerts and digest items of the notice, want exactly 1", user, got[user])
		}
	}
	if len(got) != subscribers {
		t.Errorf("%d subscribers reached, want %d", len(got), subscribers)
	}
}

// matchAll is a matcher whose every profile matches every notice.
type matchAll struct{ ids []int64 }

func (m *matchAll) Compile(string) (bot.Query, error)        { return nil, errors.New("not here") }
func (m *matchAll) CompileProfile(string) (bot.Query, error) { return nil, errors.New("not here") }
func (m *matchAll) CompileStored(string) (bot.Query, error)  { return nil, nil }
func (m *matchAll) Put(id int64, _ bot.Query)                { m.ids = append(m.ids, id) }
func (m *matchAll) Remove(int64)                             {}
func (m *matchAll) Match(*bot.Notice) []bot.Hit {
	hits := make([]bot.Hit, len(m.ids))
	for i, id := range m.ids {
		hits[i] = bot.Hit{ProfileID: id, Reasons: []string{"everything"}}
	}
	return hits
}
