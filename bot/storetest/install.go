package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/install"
)

func installTests() []test {
	return []test{
		{"InstallationRoundTrip", testInstallationRoundTrip},
		{"InstallationReplacedOnReinstall", testInstallationReplacedOnReinstall},
		{"RemoveInstallationFailsTheTeamsPendingDeliveries", testRemoveInstallationFailsPending},
		{"ForgetForgetsWhoInstalled", testForgetForgetsWhoInstalled},
	}
}

// installations is the store as bot/install sees it: every store keeps
// installations, for a Slack app distributed to many workspaces.
func installations(t *testing.T, s bot.Store) install.Store {
	t.Helper()
	is, ok := s.(install.Store)
	if !ok {
		t.Fatalf("%T keeps no installations (install.Store)", s)
	}
	return is
}

func testRecord(team, token string) install.Record {
	return install.Record{
		Platform: bot.PlatformSlack, Team: team, TeamName: "Bouwbedrijf " + team, BotUser: "UB-" + team,
		Scope: "commands,chat:write", InstalledBy: "U-alice", InstalledAt: epoch.Add(time.Minute),
		SealedToken: []byte("sealed\x00\xff" + token),
	}
}

func testInstallationRoundTrip(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	is := installations(t, s)
	if _, err := is.Installation(ctx, bot.PlatformSlack, "T1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("before any install: got %v, want ENOTFOUND", err)
	}
	for _, team := range []string{"T2", "T1"} {
		if err := is.SaveInstallation(ctx, testRecord(team, "tok-"+team)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := is.Installation(ctx, bot.PlatformSlack, "T1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "T1", got, testRecord("T1", "tok-T1"))
	if _, err := is.Installation(ctx, bot.PlatformDiscord, "T1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("another platform's T1: got %v, want ENOTFOUND", err)
	}
	all, err := is.Installations(ctx, bot.PlatformSlack)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "every installation, by team", all, []install.Record{testRecord("T1", "tok-T1"), testRecord("T2", "tok-T2")})
}

func testInstallationReplacedOnReinstall(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	is := installations(t, s)
	is.SaveInstallation(ctx, testRecord("T1", "old"))
	again := testRecord("T1", "new")
	again.Scope, again.InstalledBy, again.InstalledAt = "commands", "U-bob", epoch.Add(time.Hour)
	if err := is.SaveInstallation(ctx, again); err != nil {
		t.Fatal(err)
	}
	got, err := is.Installation(ctx, bot.PlatformSlack, "T1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "after the reinstall", got, again)
}

// An uninstalled workspace's pending deliveries fail with the reason, in
// the step that forgets its token; other workspaces', and what was sent
// already, stay as they were.
func testRemoveInstallationFailsPending(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	is := installations(t, s)
	is.SaveInstallation(ctx, testRecord("T1", "tok-T1"))
	dana := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T2", User: "U-dana"}
	discordT1 := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "T1", User: "U-alice"}
	ids := map[string]int64{}
	for key, to := range map[string]bot.Subscriber{"alice": alice, "bob": bob, "sent": alice, "dana": dana, "discord": discordT1} {
		d := testDelivery(key, to, epoch)
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
		ids[key] = d.ID
	}
	if err := s.MarkSent(ctx, ids["sent"], epoch, "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	const reason = "the workspace uninstalled the app"
	n, err := is.RemoveInstallation(ctx, bot.PlatformSlack, "T1", reason)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "deliveries failed", n, 2)
	if _, err := is.Installation(ctx, bot.PlatformSlack, "T1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("after removal: got %v, want ENOTFOUND", err)
	}
	for key, want := range map[string]bot.DeliveryStatus{"alice": bot.StatusFailed, "bob": bot.StatusFailed, "sent": bot.StatusSent} {
		d := getDelivery(t, s, ids[key])
		equal(t, key+"'s status", d.Status, want)
		if want == bot.StatusFailed {
			equal(t, key+"'s reason", d.LastError, reason)
		}
	}
	for _, who := range []bot.Subscriber{dana, discordT1} {
		data, err := s.PersonalData(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		if len(data.Deliveries) != 1 || data.Deliveries[0].Status != bot.StatusPending {
			t.Errorf("%s: got %+v, want one pending delivery", who.Key(), data.Deliveries)
		}
	}
	// Removing a workspace never installed fails its pending deliveries
	// all the same.
	n, err = is.RemoveInstallation(ctx, bot.PlatformSlack, "T2", reason)
	if err != nil || n != 1 {
		t.Errorf("removing T2, never installed: %d failed, %v; want 1, nil", n, err)
	}
}

// Forgetting the person who added the bot to a workspace keeps the
// installation, without them.
func testForgetForgetsWhoInstalled(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	is := installations(t, s)
	is.SaveInstallation(ctx, testRecord("T1", "tok-T1")) // installed by alice, in T1
	is.SaveInstallation(ctx, testRecord("T2", "tok-T2")) // another workspace's U-alice
	before, err := s.PersonalData(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "the workspaces alice installed the app in", before.InstalledIn, []string{"T1"})
	if err := s.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	after, err := s.PersonalData(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "after forget me", len(after.InstalledIn), 0)
	want := testRecord("T1", "tok-T1")
	want.InstalledBy = ""
	got, err := is.Installation(ctx, bot.PlatformSlack, "T1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "T1 after forgetting who installed it", got, want)
	other, err := is.Installation(ctx, bot.PlatformSlack, "T2")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "T2", other, testRecord("T2", "tok-T2"))
}
