package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/storetest"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// deployment runs the console bot on a fresh SQLite file until it holds a
// bit of everything migrate-store copies: profiles, notices and their
// alerts (with shared cards), a feed, settings, a follow, an event with
// its registration, question and audit chain, and a role. It returns the
// file.
func deployment(t *testing.T) string {
	t.Helper()
	open := make(chan struct{})
	close(open)
	srv := feedServer(t, open)
	db := setEnv(t, srv.URL)
	script := strings.Join([]string{
		"subscribe cpv:45 nuts:NL21",
		`subscribe name="Zon" zonne* OR zonnepanelen`,
		"quiet 22:00-07:00",
		"digest Zon daily",
		"role grant @U-staff staff",
		`event new title="Marktconsultatie zonnedaken" kind=consultation start=2027-02-10T14:00+01:00 end=16:00 place="Stadhuis Almelo" capacity=30 target="cpv:45"`,
		"event publish 1",
		"event rsvp 1 going",
		"event ask 1 Mogen consortia inschrijven?",
		"event answer 1 1 Ja, consortia zijn welkom.",
		"",
	}, "\n")
	out := session(t, strings.NewReader(script))
	for _, want := range []string{"Saved profile 1", "Published event 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("setting up the deployment: no %q in:\n%s", want, out)
		}
	}
	enrich(t, db)
	return db
}

// enrich adds what a short console session does not make: a notice fanned
// out to alerts and digest items that share its card, a digest made of
// one of them, a muted buyer, a click and a follow.
func enrich(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := storetest.FullNotice()
	shared := bot.Card{Notice: n, Ref: bot.NoticeRef(n.ID), DaysLeft: 12}.For(0, "", nil)
	fx := bot.Effects{Card: &shared}
	for i, sub := range []bot.Subscriber{
		{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"},
		{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C1"},
		{Platform: bot.PlatformSlack, Workspace: "T1", User: "U2"},
	} {
		card := shared.For(1, "cpv:45 nuts:NL21", []string{fmt.Sprintf("cpv 45212225 under 45 (%d)", i)})
		if i == 2 {
			fx.Held = append(fx.Held, bot.DigestItem{To: sub, Mode: bot.DeliverDaily, ProfileID: 1, NoticeID: n.ID, Card: card})
			continue
		}
		fx.Deliveries = append(fx.Deliveries, bot.Delivery{Key: bot.AlertKey(sub, n.ID), To: sub, Purpose: bot.PurposeAlert,
			NoticeID: n.ID, ProfileID: 1, Message: bot.AlertMessage(text.Printer{}, card, []string{card.Profile})})
	}
	if _, err := s.SaveNotice(ctx, n, []string{"id:" + n.ID}, fx); err != nil {
		t.Fatal(err)
	}
	// A second notice is held for U3 alone, and U3's digest made: it
	// references that notice's card, which no pending alert shows.
	n2 := storetest.FullNotice()
	n2.ID = "second-" + n.ID
	shared2 := bot.Card{Notice: n2, Ref: bot.NoticeRef(n2.ID), DaysLeft: 5}.For(0, "", nil)
	u3 := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U3"}
	held := bot.Effects{Card: &shared2, Held: []bot.DigestItem{{To: u3, Mode: bot.DeliverDaily, ProfileID: 1, NoticeID: n2.ID,
		Card: shared2.For(1, "cpv:45 nuts:NL21", []string{"cpv 45212225 under 45"})}}}
	if _, err := s.SaveNotice(ctx, n2, []string{"id:" + n2.ID}, held); err != nil {
		t.Fatal(err)
	}
	items, err := s.DigestItems(ctx, bot.DeliverDaily, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.To.User == "U3" {
			digest := bot.Delivery{Key: "digest:" + it.To.Key(), To: it.To, Purpose: bot.PurposeDigest,
				Message: bot.Message{Text: "Your digest", Cards: []bot.Card{it.Card}}}
			if err := s.CommitDigests(ctx, []bot.DigestCommit{{Delivery: digest, ItemIDs: []int64{it.ID}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	local := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "local"}
	if err := s.MuteBuyer(ctx, 1, "gemeente enschede", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAction(ctx, local, bot.Action{Kind: bot.ActionNotRelevant, ProfileID: 1}, n.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, local, n.ID, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveInstallation(ctx, copiedInstallation); err != nil {
		t.Fatal(err)
	}
}

// copiedInstallation is a workspace the Slack app is installed in, its
// token sealed as bot/install seals it: the copy keeps the bytes, so the
// same TENDERBOT_SECRET_KEY opens it there.
var copiedInstallation = install.Record{
	Platform: bot.PlatformSlack, Team: "T2", TeamName: "Bouw BV", BotUser: "UB2", Scope: "commands,chat:write",
	InstalledBy: "U9", InstalledAt: time.Date(2026, 12, 1, 9, 0, 0, 123, time.UTC), SealedToken: []byte{0, 1, 2, 0xfe, 0xff},
}

// sameOutbox fails unless both stores hold the same pending deliveries and
// digest items, messages and cards as shown to their recipients.
func sameOutbox(t *testing.T, src, dst bot.Store) {
	t.Helper()
	ctx := context.Background()
	platforms := []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformConsole}
	far := time.Now().AddDate(10, 0, 0)
	want, err1 := src.DueDeliveries(ctx, platforms, far, 0, 1000)
	got, err2 := dst.DueDeliveries(ctx, platforms, far, 0, 1000)
	if err := errors.Join(err1, err2); err != nil || len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("pending deliveries on the copy (%v):\n got %+v\nwant %+v", err, got, want)
	}
	wantItems, err1 := src.DigestItems(ctx, bot.DeliverDaily, far)
	gotItems, err2 := dst.DigestItems(ctx, bot.DeliverDaily, far)
	if err := errors.Join(err1, err2); err != nil || len(wantItems) == 0 || !reflect.DeepEqual(gotItems, wantItems) {
		t.Errorf("digest items on the copy (%v):\n got %+v\nwant %+v", err, gotItems, wantItems)
	}
}

func TestMigrateStoreCopiesADeployment(t *testing.T) {
	url := pgtest.URL(t)
	db := deployment(t)

	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate-store", "--from", "sqlite:" + db, "--to", url}, nil, &out, io.Discard); err != nil {
		t.Fatalf("migrate-store: %v\n%s", err, out.String())
	}
	report := out.String()
	t.Logf("migrate-store:\n%s", report)
	for _, table := range copiedTables {
		m := regexp.MustCompile(`(?m)^\s*` + table + `\s+(\d+)\s+(\d+)\s*$`).FindStringSubmatch(report)
		if m == nil || m[1] != m[2] {
			t.Errorf("the report's line for %s: %q, want equal counts", table, m)
		}
	}
	for _, table := range []string{"profiles", "notices", "outbox", "cards", "events", "audit_log", "audit_actors", "event_registrations", "event_questions", "roles", "subscriber_settings", "feeds", "installations"} {
		if m := regexp.MustCompile(`(?m)^\s*` + table + `\s+(\d+)`).FindStringSubmatch(report); m == nil || m[1] == "0" {
			t.Errorf("the deployment copied no %s: the test copies too little to show anything", table)
		}
	}
	if !strings.Contains(report, "every count agrees") || !regexp.MustCompile(`[1-9]\d* audit chains \(\d+ entries\) verify`).MatchString(report) {
		t.Errorf("the report does not close with the counts and chains verified:\n%s", report)
	}

	ctx := context.Background()
	src, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	sameOutbox(t, src, dst)
	if got, err := dst.Installation(ctx, bot.PlatformSlack, "T2"); err != nil || !reflect.DeepEqual(got, copiedInstallation) {
		t.Errorf("the installation on the copy (%v):\n got %+v\nwant %+v", err, got, copiedInstallation)
	}
	// Ids go on past the copied ones, so refs in old messages stay theirs.
	p := bot.Profile{Subscriber: bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "new"}, Name: "n", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := dst.CreateProfile(ctx, &p); err != nil || p.ID <= 2 {
		t.Errorf("a profile made on the copy: id %d, %v; want one past the copied profiles' 2", p.ID, err)
	}

	// The copy is a working deployment: the bot on PostgreSQL lists the
	// profiles, and the event's record exports with a chain that verifies.
	t.Setenv("TENDERBOT_DATABASE_URL", url)
	again := session(t, strings.NewReader("profiles\nevents\n"))
	for _, want := range []string{"1. cpv:45 nuts:NL21", "Zon", "Marktconsultatie zonnedaken"} {
		if !strings.Contains(again, want) {
			t.Errorf("the bot on the copy does not show %q:\n%s", want, again)
		}
	}
	dir := filepath.Join(t.TempDir(), "event-1")
	if err := run(context.Background(), []string{"export-event", "1", "--out", dir}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("export-event on the copy: %v", err)
	}
	var verified bytes.Buffer
	if err := run(context.Background(), []string{"verify-audit", filepath.Join(dir, "audit.jsonl")}, nil, &verified, io.Discard); err != nil {
		t.Errorf("verify-audit of the copy's export: %v", err)
	}

	// A second copy into the same, now full, database is refused and
	// changes nothing.
	err = run(context.Background(), []string{"migrate-store", "--from", "sqlite:" + db, "--to", url}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("migrate-store into a full database: got %v, want a refusal", err)
	}
}

func TestMigrateStoreRefusesAnUnknownTable(t *testing.T) {
	url := pgtest.URL(t)
	db := deployment(t)
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE newer_feature (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	err = run(context.Background(), []string{"migrate-store", "--from", "sqlite:" + db, "--to", url}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "newer_feature") {
		t.Fatalf("migrate-store of a database with a table it does not know: got %v, want a refusal naming it", err)
	}
	dst, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if n, err := dst.CountNotices(context.Background()); err != nil || n != 0 {
		t.Errorf("notices on PostgreSQL after the refusal: %d, %v; want none copied", n, err)
	}
}

func TestMigrateStoreRefusesBadArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "--from sqlite:"},
		{[]string{"--from", "./tenderbot.db", "--to", "postgres://h/db"}, "not sqlite:PATH"},
		{[]string{"--from", "sqlite:" + filepath.Join(t.TempDir(), "none.db"), "--to", "postgres://h/db"}, "does not exist"},
		{[]string{"--from", "sqlite:x.db", "--to", "mysql://u:pw@h/db"}, "not a PostgreSQL URL"},
	}
	for _, tt := range tests {
		err := run(context.Background(), append([]string{"migrate-store"}, tt.args...), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("migrate-store %q: got %v, want an error saying %q", tt.args, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("migrate-store %q: error %q shows a password", tt.args, err)
		}
	}
}
