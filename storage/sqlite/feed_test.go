package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestEnsureFeed(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	const url = "https://feeds.example/tenders.xml"
	first, err := s.EnsureFeed(ctx, url, "Tenders")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "new feed", first, bot.Feed{ID: first.ID, URL: url, Name: "Tenders", Status: bot.FeedActive})
	if first.ID == 0 {
		t.Error("new feed has no ID")
	}
	if err := s.RecordPoll(ctx, first.ID, bot.PollResult{At: epoch, Items: 4}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)

	polled := first
	polled.LastPolled, polled.LastSuccess, polled.Items = epoch, epoch, 4
	tests := []struct {
		name     string
		url      string
		feedName string
		want     bot.Feed
	}{
		{"same name keeps the row and its history", url, "Tenders", polled},
		{"no name keeps the name", url, "", polled},
		{"another name renames", url, "Aanbestedingen", func() bot.Feed { f := polled; f.Name = "Aanbestedingen"; return f }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.EnsureFeed(ctx, tt.url, tt.feedName)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "feed", got, tt.want)
		})
	}

	other, err := s.EnsureFeed(ctx, "builtin:example", "")
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == first.ID || other.Name != "" {
		t.Errorf("second feed: got %+v, want a new row with no name", other)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 || feeds[0].ID != first.ID || feeds[1].ID != other.ID {
		t.Errorf("ListFeeds: got %+v, want the two feeds, oldest first", feeds)
	}
}

func TestListFeedsEmpty(t *testing.T) {
	s, _ := openTestStore(t)
	feeds, err := s.ListFeeds(context.Background())
	if err != nil || len(feeds) != 0 {
		t.Errorf("got %v, %v; want no feeds", feeds, err)
	}
}

func TestRecordPoll(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	f, err := s.EnsureFeed(ctx, "https://feeds.example/a", "a")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h int) time.Time { return epoch.Add(time.Duration(h) * time.Hour) }
	feed := func(polled, success time.Time, lastErr string, failures, items int) bot.Feed {
		return bot.Feed{ID: f.ID, URL: f.URL, Name: f.Name, LastPolled: polled, LastSuccess: success,
			LastError: lastErr, ConsecutiveFailures: failures, Items: items, Status: bot.FeedActive}
	}
	steps := []struct {
		name   string
		result bot.PollResult
		want   bot.Feed
	}{
		{"first failure", bot.PollResult{At: at(1), Err: errors.New("503 Service Unavailable")},
			feed(at(1), time.Time{}, "503 Service Unavailable", 1, 0)},
		{"success", bot.PollResult{At: at(2), Items: 12},
			feed(at(2), at(2), "", 0, 12)},
		{"failure keeps the last success", bot.PollResult{At: at(3), Items: 99, Err: errors.New("timeout")},
			feed(at(3), at(2), "timeout", 1, 12)},
		{"failures count up", bot.PollResult{At: at(4), Err: errors.New("timeout again")},
			feed(at(4), at(2), "timeout again", 2, 12)},
		{"success resets", bot.PollResult{At: at(5), Items: 0},
			feed(at(5), at(5), "", 0, 0)},
		{"zero time is now", bot.PollResult{Items: 3},
			feed(clock.Now(), clock.Now(), "", 0, 3)},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := s.RecordPoll(ctx, f.ID, st.result); err != nil {
				t.Fatal(err)
			}
			feeds, err := s.ListFeeds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "feeds", feeds, []bot.Feed{st.want})
		})
	}
	wantCode(t, "poll of an unknown feed", s.RecordPoll(ctx, f.ID+1, bot.PollResult{At: epoch}), bot.ENOTFOUND)
}
