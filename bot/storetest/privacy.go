package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func privacyTests() []test {
	return []test{
		{"PruneKeepsWhatIsRecentOrPending", testPruneKeepsWhatIsRecentOrPending},
		{"PruneKeepsTheCardsOfWhatWaits", testPruneKeepsTheCardsOfWhatWaits},
		{"PersonalDataHasEventRegistrationsAndQuestions", testPersonalDataHasEventRegistrationsAndQuestions},
		{"ForgetKeepsTheRecordUnsigned", testForgetKeepsTheRecordUnsigned},
		{"ForgetHandsFeedsToTheOperatorStillGuarded", testForgetHandsFeedsToTheOperatorStillGuarded},
		{"ForgetKeepsChannelProfilesButNotTheirMaker", testForgetKeepsChannelProfilesButNotTheirMaker},
	}
}

func testPruneKeepsWhatIsRecentOrPending(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	old := FullNotice()
	old.ID = "old"
	saveNotices(t, s, old)
	sent := testDelivery("old-sent", alice, time.Time{})
	pending := testDelivery("old-pending", alice, time.Time{})
	for _, d := range []*bot.Delivery{&sent, &pending} {
		if _, err := s.Enqueue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkSent(ctx, sent.ID, epoch, "m1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(500 * 24 * time.Hour)
	recent := FullNotice()
	recent.ID = "recent"
	saveNotices(t, s, recent)

	deliveries, notices, err := s.Prune(ctx, clock.Now().Add(-400*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if deliveries != 1 || notices != 1 {
		t.Errorf("pruned %d deliveries and %d notice texts, want 1 and 1", deliveries, notices)
	}
	if has, _ := s.HasDelivery(ctx, "old-pending"); !has {
		t.Error("a pending delivery was pruned")
	}
	if n, _ := s.Notice(ctx, "old"); n.Description != "" || n.Title == "" {
		t.Errorf("old notice: description %q title %q, want the text emptied and the rest kept", n.Description, n.Title)
	}
	if n, _ := s.Notice(ctx, "recent"); n.Description == "" {
		t.Error("a recent notice lost its text")
	}
}

// The retention job deletes no card that a pending delivery or a held
// digest item still shows, however old: each comes back whole after it,
// and the cards of the sent deliveries beside them go.
func testPruneKeepsTheCardsOfWhatWaits(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	shared := sharedCard("Twente Business Desk")
	fx := fanOut(shared, people, epoch)
	if _, err := s.SaveNotice(ctx, shared.Notice, nil, fx); err != nil {
		t.Fatal(err)
	}
	other := sharedCard("")
	other.Notice.ID = "sent-" + other.Notice.ID
	sent := fanOut(other, people[:1], epoch)
	if _, err := s.SaveNotice(ctx, other.Notice, nil, sent); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, deliveryID(t, s, sent.Deliveries[0].Key), epoch, "m1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(500 * 24 * time.Hour)
	if _, _, err := s.Prune(ctx, clock.Now().Add(-400*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	comesBack(t, s, fx, "after the retention job")
	if has, _ := s.HasDelivery(ctx, sent.Deliveries[0].Key); has {
		t.Error("the sent delivery was kept past the retention period")
	}
}

// deliveryID returns the id of the due delivery with key.
func deliveryID(t *testing.T, s bot.Store, key string) int64 {
	t.Helper()
	due, err := s.DueDeliveries(context.Background(), []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformConsole}, epoch, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.Key == key {
			return d.ID
		}
	}
	t.Fatalf("no delivery %s is due", key)
	return 0
}

// seedEventsFor gives alice and bob a part in two events: alice organizes
// the first, both register for it and ask a question each, and both act
// in its audit chain under their pseudonyms; alice also registers for the
// second. It returns the two event ids.
func seedEventsFor(t *testing.T, s bot.Store) (first, second int64) {
	t.Helper()
	ctx := context.Background()
	actors, err := s.AuditActors(ctx, []bot.Subscriber{alice, bob})
	if err != nil {
		t.Fatal(err)
	}
	first = createEvent(t, s, bot.EventChange{})
	e1 := sealed(first, 1, audit.Genesis, "publish", actors[alice], `{"title":"Supplier day"}`)
	e2 := sealed(first, 2, e1.Hash, "rsvp", actors[bob], `{"status":"going"}`)
	change(t, s, first, bot.EventChange{
		Registrations: []bot.Registration{registration(first, alice, bot.RSVPGoing, epoch), registration(first, bob, bot.RSVPGoing, epoch)},
		Questions: []bot.Question{
			{EventID: first, Number: 1, Text: "Is the contract split into lots?", Asker: alice, AskedAt: epoch, Answer: "Yes, three.", AnsweredAt: epoch},
			{EventID: first, Number: 2, Text: "Can SMEs bid together?", Asker: bob, AskedAt: epoch},
		},
		Audit: []audit.Entry{e1, e2},
	})
	second = createEvent(t, s, bot.EventChange{})
	e := fullEvent(second)
	e.Organizer = bob
	change(t, s, second, bot.EventChange{Event: &e, Registrations: []bot.Registration{registration(second, alice, bot.RSVPMaybe, epoch)}})
	return first, second
}

func testPersonalDataHasEventRegistrationsAndQuestions(t *testing.T, s bot.Store, _ *bottest.Clock) {
	first, second := seedEventsFor(t, s)
	data, err := s.PersonalData(context.Background(), alice)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "registrations", data.Registrations, []bot.Registration{
		registration(first, alice, bot.RSVPGoing, epoch), registration(second, alice, bot.RSVPMaybe, epoch),
	})
	equal(t, "questions", data.Questions, []bot.Question{
		{EventID: first, Number: 1, Text: "Is the contract split into lots?", Asker: alice, AskedAt: epoch, Answer: "Yes, three.", AnsweredAt: epoch},
	})
}

// SeedPerson stores one person in every part of s a person can be in: a
// profile, a follow, a click, settings, roles held and granted, a delivery,
// registrations for two events, questions, an audit pseudonym, and as the
// organizer of the first event. It returns the person and that event, for
// a store's own test that Forget leaves no trace of them anywhere.
func SeedPerson(t *testing.T, s bot.Store) (who bot.Subscriber, eventID int64) {
	t.Helper()
	ctx := context.Background()
	saveNotices(t, s, FullNotice())
	p := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, alice, FullNotice().ID, epoch, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAction(ctx, alice, bot.Action{Kind: bot.ActionFollow, ProfileID: p.ID}, FullNotice().ID, epoch); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, alice, bot.Settings{Quiet: &bot.QuietHours{Start: 22 * time.Hour, End: 7 * time.Hour}}); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantRole(ctx, alice, bot.RoleStaff, bob, epoch); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantRole(ctx, bob, bot.RoleStaff, alice, epoch); err != nil {
		t.Fatal(err)
	}
	d := testDelivery("alert:"+alice.Key(), alice, epoch)
	if _, err := s.Enqueue(ctx, &d); err != nil {
		t.Fatal(err)
	}
	first, _ := seedEventsFor(t, s)
	e := fullEvent(first) // organized by alice
	change(t, s, first, bot.EventChange{Event: &e})
	return alice, first
}

func testForgetKeepsTheRecordUnsigned(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	_, first := SeedPerson(t, s)
	bobActor, err := s.AuditActors(ctx, []bot.Subscriber{bob})
	if err != nil {
		t.Fatal(err)
	}
	auditBefore, err := s.AuditLog(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(auditBefore) != 2 {
		t.Fatalf("audit log has %d entries, want 2", len(auditBefore))
	}

	if err := s.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}

	auditAfter, err := s.AuditLog(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "audit log after forgetting", auditAfter, auditBefore)
	// Her question stays, unsigned, with its answer; bob keeps all of his.
	st := eventState(t, s, first)
	equal(t, "questions after forgetting", st.Questions, []bot.Question{
		{EventID: first, Number: 1, Text: "Is the contract split into lots?", AskedAt: epoch, Answer: "Yes, three.", AnsweredAt: epoch},
		{EventID: first, Number: 2, Text: "Can SMEs bid together?", Asker: bob, AskedAt: epoch},
	})
	equal(t, "registrations after forgetting", st.Registrations, []bot.Registration{registration(first, bob, bot.RSVPGoing, epoch)})
	if st.Event.Organizer != (bot.Subscriber{}) || st.Event.Title != fullEvent(first).Title {
		t.Errorf("event after forgetting its organizer: organizer %+v, title %q", st.Event.Organizer, st.Event.Title)
	}
	actors, err := s.AuditActors(ctx, []bot.Subscriber{alice, bob})
	if err != nil {
		t.Fatal(err)
	}
	if actors[bob] != bobActor[bob] {
		t.Errorf("bob's pseudonym changed from %s to %s", bobActor[bob], actors[bob])
	}
	for _, entry := range auditBefore {
		if entry.Actor == actors[alice] {
			t.Errorf("alice came back as %s, the pseudonym she had before", actors[alice])
		}
	}
}

func testForgetHandsFeedsToTheOperatorStillGuarded(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	f := bot.Feed{URL: "https://desk.example/rss", Name: "Desk", Owner: alice, Status: bot.FeedActive, Format: "rss"}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	if err := s.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.ListFeeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds after forget: got %d, %v; want the one", len(feeds), err)
	}
	got := feeds[0]
	equal(t, "owner after forget", got.Owner, bot.Subscriber{Platform: alice.Platform, Workspace: alice.Workspace})
	equal(t, "passed to the operator", got.PassedToOperator(), true)
	equal(t, "trusted", got.Trusted(), false)
	equal(t, "status", got.Status, bot.FeedActive)
}

func testForgetKeepsChannelProfilesButNotTheirMaker(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	hers := bot.Profile{Subscriber: channel, Name: "Bouw", Query: "cpv:45", Delivery: bot.DeliverInstant, CreatedBy: alice.User}
	hers.Subscriber.Platform, hers.Subscriber.Workspace = alice.Platform, alice.Workspace
	his := bot.Profile{Subscriber: hers.Subscriber, Name: "ICT", Query: "cpv:72", Delivery: bot.DeliverInstant, CreatedBy: bob.User}
	for _, p := range []*bot.Profile{&hers, &his} {
		if err := s.CreateProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.ListProfiles(ctx, hers.Subscriber)
	if err != nil || len(before) != 2 {
		t.Fatalf("channel profiles: got %d, %v", len(before), err)
	}
	equal(t, "made by, as stored", []string{before[0].CreatedBy, before[1].CreatedBy}, []string{alice.User, bob.User})
	if err := s.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	after, err := s.ListProfiles(ctx, hers.Subscriber)
	if err != nil || len(after) != 2 {
		t.Fatalf("channel profiles after forget: got %d, %v; want both kept", len(after), err)
	}
	equal(t, "made by, after forget", []string{after[0].CreatedBy, after[1].CreatedBy}, []string{"", bob.User})
}
