package install_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// The service is the bot's Reach for a distributed Slack app.
var _ bot.Reach = (*install.Service)(nil)

// A workspace is reached while the app is installed there: not before it
// is added, not once it is removed, again once it is added back. A change
// made through another replica on the same database is seen within half a
// minute; one made through the service itself at once. Other platforms'
// workspaces are always reached.
func TestReachesTheWorkspacesTheAppIsInstalledIn(t *testing.T) {
	ctx := context.Background()
	clock := bottest.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	service := func() *install.Service {
		s, err := install.New(install.Options{Store: store, Key: key, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	here, other := service(), service() // two replicas of the bot
	reaches := func(s *install.Service, platform bot.Platform, team string, want bool, when string) {
		t.Helper()
		got, err := s.Reaches(ctx, platform, team)
		if err != nil || got != want {
			t.Errorf("%s: Reaches(%s, %s) = %v, %v; want %v", when, platform, team, got, err, want)
		}
	}
	reaches(here, bot.PlatformSlack, "T1", false, "before the install")
	reaches(here, bot.PlatformDiscord, "G1", true, "a Discord guild")
	if err := here.Add(ctx, install.Installation{Platform: bot.PlatformSlack, Team: "T1", BotToken: "xoxb-1"}); err != nil {
		t.Fatal(err)
	}
	reaches(here, bot.PlatformSlack, "T1", true, "installed through this replica")
	reaches(other, bot.PlatformSlack, "T1", true, "installed, asked on the other replica")
	if _, err := other.Remove(ctx, bot.PlatformSlack, "T1", "app_uninstalled"); err != nil {
		t.Fatal(err)
	}
	reaches(other, bot.PlatformSlack, "T1", false, "removed through this replica")
	reaches(here, bot.PlatformSlack, "T1", true, "removed through the other replica a moment ago")
	clock.Advance(30 * time.Second)
	reaches(here, bot.PlatformSlack, "T1", false, "removed through the other replica half a minute ago")
	if err := here.Add(ctx, install.Installation{Platform: bot.PlatformSlack, Team: "T1", BotToken: "xoxb-2"}); err != nil {
		t.Fatal(err)
	}
	reaches(here, bot.PlatformSlack, "T1", true, "added back")
}
