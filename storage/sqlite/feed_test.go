package sqlite

import (
	"context"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// TestSetFeedStatusWritesNothingWhenTheNoticeFails: a feed is disabled
// together with the notice that tells its owner, or not at all.
func TestSetFeedStatusWritesNothingWhenTheNoticeFails(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	f := bot.Feed{URL: "https://desk.example.nl/rss", Name: "Desk", Owner: alice, Format: "rss"}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	refuseDeliveries(t, s)
	tell := bot.Delivery{Key: refused, To: alice, Purpose: bot.PurposeNotice, Message: bot.Message{Text: "I stopped reading your feed"}, DueAt: epoch}
	if err := s.SetFeedStatus(ctx, f.ID, bot.FeedDisabled, "failed 5 times", []bot.Delivery{tell}); err == nil {
		t.Fatal("SetFeedStatus with a refused notice: got no error")
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 || feeds[0].Status != bot.FeedActive || feeds[0].StatusReason != "" {
		t.Errorf("feed after the failed SetFeedStatus: %+v, want it active as before", feeds)
	}
}
