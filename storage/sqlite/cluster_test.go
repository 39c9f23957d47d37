package sqlite

import (
	"context"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestFindNoticeByClusterKey(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	first := fullNotice()
	if _, err := s.SaveNotice(ctx, first, []string{"id:" + first.ID, "procedure:p-1"}, bot.Effects{}); err != nil {
		t.Fatal(err)
	}
	// A second notice claiming a key the first holds does not take it over.
	other := bot.Notice{ID: "other", Title: "Other"}
	if _, err := s.SaveNotice(ctx, other, []string{"id:other", "procedure:p-1"}, bot.Effects{}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		keys   []string
		wantID string // "" when nothing should be found
	}{
		{name: "own id", keys: []string{"id:" + first.ID}, wantID: first.ID},
		{name: "procedure id", keys: []string{"id:unknown", "procedure:p-1"}, wantID: first.ID},
		{name: "first key that is held wins", keys: []string{"id:other", "procedure:p-1"}, wantID: "other"},
		{name: "no key held", keys: []string{"id:unknown", "title:x"}},
		{name: "no keys", keys: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok, err := s.FindNotice(ctx, tt.keys)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ok {
				got = n.ID
			}
			if got != tt.wantID {
				t.Errorf("FindNotice(%q): got %q (found %v), want %q", tt.keys, n.ID, ok, tt.wantID)
			}
		})
	}
	n, ok, err := s.FindNotice(ctx, []string{"procedure:p-1"})
	if err != nil || !ok || len(n.Sources) != 2 {
		t.Errorf("found notice's sources: got %v (found %v, %v), want the two stored links", n.Sources, ok, err)
	}
}

func TestRecordPollKeepsValidators(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	f, err := s.EnsureFeed(ctx, "https://feeds.example/a.xml", "A")
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now()
	steps := []struct {
		name     string
		result   bot.PollResult
		wantETag string
		wantLM   string
		items    int
	}{
		{"success stores validators", bot.PollResult{At: now, Items: 5, ETag: `"v1"`, LastModified: "Wed, 25 Nov 2026 10:00:00 GMT", NextPoll: now.Add(15 * 60e9)}, `"v1"`, "Wed, 25 Nov 2026 10:00:00 GMT", 5},
		{"not modified keeps them and the items", bot.PollResult{At: now, NotModified: true, NextPoll: now.Add(30 * 60e9)}, `"v1"`, "Wed, 25 Nov 2026 10:00:00 GMT", 5},
		{"failure keeps them", bot.PollResult{At: now, Err: errString("boom"), NextPoll: now.Add(60 * 60e9)}, `"v1"`, "Wed, 25 Nov 2026 10:00:00 GMT", 5},
	}
	for _, st := range steps {
		if err := s.RecordPoll(ctx, f.ID, st.result); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		feeds, err := s.ListFeeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := feeds[0]
		if got.ETag != st.wantETag || got.LastModified != st.wantLM || got.Items != st.items {
			t.Errorf("%s: got etag %q, last-modified %q, items %d; want %q, %q, %d", st.name, got.ETag, got.LastModified, got.Items, st.wantETag, st.wantLM, st.items)
		}
		if !got.NextPoll.Equal(st.result.NextPoll) {
			t.Errorf("%s: next poll got %v, want %v", st.name, got.NextPoll, st.result.NextPoll)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
