package sqlite

import (
	"context"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestPartnerFeedsAndRoles(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	desk := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U9"}
	f := bot.Feed{URL: "https://desk.example.nl/rss", Name: "Desk", Owner: desk, Format: "rss"}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	again := bot.Feed{URL: "https://other.example/rss", Name: "Desk", Owner: desk}
	if err := s.AddFeed(ctx, &again); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("a second feed named Desk: got %v, want ECONFLICT", err)
	}
	if err := s.RecordPoll(ctx, f.ID, bot.PollResult{At: epoch, Items: 3, NewItems: 3}); err != nil {
		t.Fatal(err)
	}
	later := epoch.AddDate(0, 0, 7)
	if err := s.RecordPoll(ctx, f.ID, bot.PollResult{At: later, Items: 4, NewItems: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPoll(ctx, f.ID, bot.PollResult{At: later.AddDate(0, 0, 1), Items: 4}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedStatus(ctx, f.ID, bot.FeedPaused, "paused by U9"); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds: %v, %v", feeds, err)
	}
	got := feeds[0]
	if got.Owner != desk || got.Format != "rss" || got.Status != bot.FeedPaused || got.StatusReason != "paused by U9" {
		t.Errorf("partner feed: %+v", got)
	}
	if got.NewItems != 4 || !got.FirstNewAt.Equal(epoch) || !got.LastNewAt.Equal(later) {
		t.Errorf("new items: %d from %v to %v, want 4 from %v to %v", got.NewItems, got.FirstNewAt, got.LastNewAt, epoch, later)
	}
	if err := s.DeleteFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete again", s.DeleteFeed(ctx, f.ID), bot.ENOTFOUND)
	wantCode(t, "status of a missing feed", s.SetFeedStatus(ctx, f.ID, bot.FeedActive, ""), bot.ENOTFOUND)

	if err := s.GrantRole(ctx, desk, bot.RolePartner, alice, epoch); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantRole(ctx, desk, bot.RolePartner, alice, epoch); err != nil {
		t.Errorf("granting twice: %v", err)
	}
	if roles, _ := s.Roles(ctx, desk); len(roles) != 1 || roles[0] != bot.RolePartner {
		t.Errorf("roles: %v", roles)
	}
	if err := s.RevokeRole(ctx, desk, bot.RolePartner); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "revoke again", s.RevokeRole(ctx, desk, bot.RolePartner), bot.ENOTFOUND)
}
