package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func feedTests() []test {
	return []test{
		{"EnsureFeed", testEnsureFeed},
		{"ListFeedsEmpty", testListFeedsEmpty},
		{"RecordPoll", testRecordPoll},
		{"RecordPollKeepsValidators", testRecordPollKeepsValidators},
		{"PartnerFeedsAndRoles", testPartnerFeedsAndRoles},
		{"SetFeedStatusTellsTheOwner", testSetFeedStatusTellsTheOwner},
		{"ErrorsSpeakTheReadersLanguage", testErrorsSpeakTheReadersLanguage},
	}
}

func testEnsureFeed(t *testing.T, s bot.Store, clock *bottest.Clock) {
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

func testListFeedsEmpty(t *testing.T, s bot.Store, _ *bottest.Clock) {
	feeds, err := s.ListFeeds(context.Background())
	if err != nil || len(feeds) != 0 {
		t.Errorf("got %v, %v; want no feeds", feeds, err)
	}
}

func testRecordPoll(t *testing.T, s bot.Store, clock *bottest.Clock) {
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

func testRecordPollKeepsValidators(t *testing.T, s bot.Store, clock *bottest.Clock) {
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

func testPartnerFeedsAndRoles(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	desk := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U9"}
	f := bot.Feed{URL: "https://desk.example.nl/rss", Name: "Desk", Owner: desk, Format: "rss", DefaultKind: bot.KindTender}
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
	if err := s.SetFeedStatus(ctx, f.ID, bot.FeedPaused, "paused by U9", nil); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds: %v, %v", feeds, err)
	}
	got := feeds[0]
	if got.Owner != desk || got.Format != "rss" || got.DefaultKind != bot.KindTender || got.Status != bot.FeedPaused || got.StatusReason != "paused by U9" {
		t.Errorf("partner feed: %+v", got)
	}
	if got.NewItems != 4 || !got.FirstNewAt.Equal(epoch) || !got.LastNewAt.Equal(later) {
		t.Errorf("new items: %d from %v to %v, want 4 from %v to %v", got.NewItems, got.FirstNewAt, got.LastNewAt, epoch, later)
	}
	if err := s.DeleteFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete again", s.DeleteFeed(ctx, f.ID), bot.ENOTFOUND)
	wantCode(t, "status of a missing feed", s.SetFeedStatus(ctx, f.ID, bot.FeedActive, "", nil), bot.ENOTFOUND)

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

func testSetFeedStatusTellsTheOwner(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	f := bot.Feed{URL: "https://desk.example.nl/rss", Name: "Desk", Owner: alice, Format: "rss"}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	tell := testDelivery("notice:feed-disabled:1", alice, epoch)
	tell.Purpose, tell.NoticeID, tell.ProfileID = bot.PurposeNotice, "", 0
	if err := s.SetFeedStatus(ctx, f.ID, bot.FeedDisabled, "failed 5 times", []bot.Delivery{tell, tell}); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil || len(feeds) != 1 || feeds[0].Status != bot.FeedDisabled || feeds[0].StatusReason != "failed 5 times" {
		t.Errorf("feeds after SetFeedStatus: %+v, %v; want it disabled, with the reason", feeds, err)
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Key != tell.Key || due[0].To != alice || due[0].Message.Text != tell.Message.Text {
		t.Errorf("deliveries after SetFeedStatus: got %+v, want the owner told once", due)
	}

	// A missing feed is told nothing.
	missing := tell
	missing.Key = "notice:feed-disabled:missing"
	wantCode(t, "status of a missing feed", s.SetFeedStatus(ctx, f.ID+1, bot.FeedDisabled, "x", []bot.Delivery{missing}), bot.ENOTFOUND)
	if has, err := s.HasDelivery(ctx, missing.Key); err != nil || has {
		t.Errorf("a failed SetFeedStatus enqueued its notice: %v, %v", has, err)
	}
}
