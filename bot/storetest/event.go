package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/text"
)

func eventTests() []test {
	return []test{
		{"CreateEventGetsIDAndDraft", testCreateEventGetsIDAndDraft},
		{"EventRoundTrip", testEventRoundTrip},
		{"ChangeEventNotFound", testChangeEventNotFound},
		{"RegistrationsUpsertInOrder", testRegistrationsUpsertInOrder},
		{"RegistrationLanguageRoundTrips", testRegistrationLanguageRoundTrips},
		{"QuestionsAndMaterials", testQuestionsAndMaterials},
		{"ChangeErrorWritesNothing", testChangeErrorWritesNothing},
		{"ChangeEventRefusesAnotherEventsID", testChangeEventRefusesAnotherEventsID},
		{"ChangeEventSurvivesPanic", testChangeEventSurvivesPanic},
		{"AuditEntriesStoredVerbatim", testAuditEntriesStoredVerbatim},
		{"AuditChainBreaksAreRefused", testAuditChainBreaksAreRefused},
		{"EventDeliveries", testEventDeliveries},
		{"ConcurrentRegistrationsNeverOverbook", testConcurrentRegistrationsNeverOverbook},
		{"EventsByStatusAndStart", testEventsByStatusAndStart},
		{"AuditActorsStableAndDistinct", testAuditActorsStableAndDistinct},
	}
}

// brussels is a fixed +01:00 zone, as a form in Brussels gives in winter.
var brussels = time.FixedZone("", 3600)

// fullEvent is a published event with every field set, for event id.
func fullEvent(id int64) bot.Event {
	return bot.Event{
		ID:          id,
		Title:       "Supplier day: school buildings 2027",
		Description: "What we plan to buy, and how.\nBring questions.",
		Kind:        bot.EventSupplierDay,
		Start:       time.Date(2026, 3, 10, 14, 0, 0, 0, brussels),
		End:         time.Date(2026, 3, 10, 16, 30, 0, 0, brussels),
		Place:       "Stadhuis, Grote Markt 1, Brussel",
		Capacity:    40,
		RegisterBy:  time.Date(2026, 3, 6, 17, 0, 0, 0, brussels),
		Target:      "cpv:45 nuts:BE1",
		Related:     "2026/S 045-123456",
		Documents:   []string{"https://buyer.example/pin.pdf", "https://buyer.example/agenda.pdf"},
		Organizer:   alice,
		Status:      bot.EventPublished,
		Sequence:    2,
		Reason:      "room changed",
		CreatedAt:   epoch,
		UpdatedAt:   epoch.Add(time.Hour),
		PublishedAt: epoch.Add(30 * time.Minute),
	}
}

// createEvent stores fullEvent under a new id with the changes of more,
// and returns its id.
func createEvent(t *testing.T, s bot.Store, more bot.EventChange) int64 {
	t.Helper()
	e, err := s.ChangeEvent(context.Background(), 0, func(st bot.EventState) (bot.EventChange, error) {
		e := fullEvent(st.Event.ID)
		more.Event = &e
		return more, nil
	})
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e.ID
}

// change runs a change that returns ch, and fails the test on error.
func change(t *testing.T, s bot.Store, id int64, ch bot.EventChange) bot.Event {
	t.Helper()
	e, err := s.ChangeEvent(context.Background(), id, func(bot.EventState) (bot.EventChange, error) { return ch, nil })
	if err != nil {
		t.Fatalf("change event %d: %v", id, err)
	}
	return e
}

// eventState reads the state of event id, failing the test on error.
func eventState(t *testing.T, s bot.Store, id int64) bot.EventState {
	t.Helper()
	st, err := s.EventState(context.Background(), id)
	if err != nil {
		t.Fatalf("event state %d: %v", id, err)
	}
	return st
}

// sealed is audit entry seq of event id, following prev, with made-up
// hashes: the store keeps the chain links, it does not compute them.
func sealed(id, seq int64, prev, action, actor, data string) audit.Entry {
	return audit.Entry{
		Seq:      seq,
		Time:     epoch.Add(time.Duration(seq) * time.Second).Format("2006-01-02T15:04:05.000Z"),
		Event:    id,
		Action:   action,
		Actor:    actor,
		Data:     []byte(data),
		PrevHash: prev,
		Hash:     fmt.Sprintf("%064x", id*1000+seq),
	}
}

func registration(id int64, who bot.Subscriber, status bot.RSVP, at time.Time) bot.Registration {
	return bot.Registration{EventID: id, Who: who, Name: who.User, Company: "Bouw BV", Status: status, RegisteredAt: at, UpdatedAt: at}
}

func testCreateEventGetsIDAndDraft(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	var seen bot.EventState
	created, err := s.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
		seen = st
		return bot.EventChange{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 {
		t.Fatal("created event has no id")
	}
	draft := bot.Event{ID: created.ID, Status: bot.EventDraft}
	equal(t, "state change saw", seen, bot.EventState{Event: draft})
	equal(t, "created event", created, draft)
	equal(t, "stored state", eventState(t, s, created.ID), bot.EventState{Event: draft})

	second := createEvent(t, s, bot.EventChange{})
	if second == created.ID {
		t.Errorf("second event got id %d too", second)
	}
}

func testEventRoundTrip(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := createEvent(t, s, bot.EventChange{})
	want := fullEvent(id)
	got := eventState(t, s, id).Event
	equal(t, "event", got, want)
	if s := got.Start.Format(time.RFC3339); s != "2026-03-10T14:00:00+01:00" {
		t.Errorf("start came back as %s, want 2026-03-10T14:00:00+01:00", s)
	}

	// Zero times stay zero; an event in UTC stays in UTC.
	want.Start = time.Date(2026, 4, 1, 9, 0, 0, 5, time.UTC)
	want.End, want.RegisterBy, want.PublishedAt, want.Documents = time.Time{}, time.Time{}, time.Time{}, nil
	want.Organizer = channel
	returned := change(t, s, id, bot.EventChange{Event: &want})
	equal(t, "event returned by change", returned, want)
	equal(t, "event after change", eventState(t, s, id).Event, want)
}

func testChangeEventNotFound(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	called := false
	_, err := s.ChangeEvent(ctx, 42, func(bot.EventState) (bot.EventChange, error) {
		called = true
		return bot.EventChange{}, nil
	})
	wantCode(t, "change a missing event", err, bot.ENOTFOUND)
	if called {
		t.Error("change was called for a missing event")
	}
	_, err = s.EventState(ctx, 42)
	wantCode(t, "state of a missing event", err, bot.ENOTFOUND)
}

func testRegistrationsUpsertInOrder(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := createEvent(t, s, bot.EventChange{})
	a := registration(id, alice, bot.RSVPGoing, epoch)
	b := registration(id, bob, bot.RSVPGoing, epoch.Add(time.Minute))
	c := registration(id, channel, bot.RSVPMaybe, epoch.Add(time.Minute)) // same time as bob: after him
	change(t, s, id, bot.EventChange{Registrations: []bot.Registration{a, b}})
	change(t, s, id, bot.EventChange{Registrations: []bot.Registration{c}})

	// alice and bob change their answers: still one row each, in their
	// places (bob registered at the same time as the channel, before it).
	a.Status, a.Name, a.Invited, a.PriorInvolvement = bot.RSVPNotGoing, "Alice A.", true, "wrote the market study"
	a.UpdatedAt = epoch.Add(time.Hour)
	b.Status, b.UpdatedAt = bot.RSVPMaybe, epoch.Add(time.Hour)
	change(t, s, id, bot.EventChange{Registrations: []bot.Registration{b, a}})

	equal(t, "registrations", eventState(t, s, id).Registrations, []bot.Registration{a, b, c})
}

// testRegistrationLanguageRoundTrips checks that the language a person
// registered in comes back, and changes with the registration: every mail
// to a registrant from the public page is written in it.
func testRegistrationLanguageRoundTrips(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := createEvent(t, s, bot.EventChange{})
	dutch := registration(id, alice, bot.RSVPGoing, epoch)
	dutch.Language = text.Dutch
	none := registration(id, bob, bot.RSVPGoing, epoch.Add(time.Minute))
	change(t, s, id, bot.EventChange{Registrations: []bot.Registration{dutch, none}})
	equal(t, "registrations", eventState(t, s, id).Registrations, []bot.Registration{dutch, none})

	dutch.Language, dutch.UpdatedAt = text.English, epoch.Add(time.Hour)
	change(t, s, id, bot.EventChange{Registrations: []bot.Registration{dutch}})
	equal(t, "registrations after a change", eventState(t, s, id).Registrations, []bot.Registration{dutch, none})
}

func testQuestionsAndMaterials(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := createEvent(t, s, bot.EventChange{})
	q1 := bot.Question{EventID: id, Number: 1, Text: "Is the contract split into lots?", Asker: alice, AskedAt: epoch}
	q2 := bot.Question{EventID: id, Number: 2, Text: "Can SMEs bid together?", Asker: bob, AskedAt: epoch.Add(time.Minute)}
	change(t, s, id, bot.EventChange{Questions: []bot.Question{q2, q1}})
	q1.Answer, q1.AnsweredAt = "Yes: three lots, by region.", epoch.Add(time.Hour)
	change(t, s, id, bot.EventChange{Questions: []bot.Question{q1}})

	m1 := bot.Material{EventID: id, Number: 1, Title: "Slides", URL: "https://buyer.example/slides.pdf", AddedAt: epoch}
	m2 := bot.Material{EventID: id, Number: 2, Title: "Minutes", URL: "https://buyer.example/minutes.pdf", AddedAt: epoch}
	change(t, s, id, bot.EventChange{Materials: []bot.Material{m1}})
	change(t, s, id, bot.EventChange{Materials: []bot.Material{m2}})

	st := eventState(t, s, id)
	equal(t, "questions", st.Questions, []bot.Question{q1, q2})
	if !st.Questions[0].Answered() || st.Questions[1].Answered() {
		t.Errorf("answered: Q1 %v, Q2 %v; want true, false", st.Questions[0].Answered(), st.Questions[1].Answered())
	}
	equal(t, "materials", st.Materials, []bot.Material{m1, m2})

	_, err := s.ChangeEvent(context.Background(), id, func(bot.EventState) (bot.EventChange, error) {
		return bot.EventChange{Materials: []bot.Material{m1}}, nil
	})
	if err == nil {
		t.Error("a second material 1 was stored")
	}
	for _, bad := range []bot.EventChange{
		{Questions: []bot.Question{{EventID: id, Text: "no number"}}},
		{Questions: []bot.Question{{EventID: id + 1, Number: 3, Text: "another event's"}}},
		{Registrations: []bot.Registration{registration(id+1, carol, bot.RSVPGoing, epoch)}},
	} {
		_, err := s.ChangeEvent(context.Background(), id, func(bot.EventState) (bot.EventChange, error) { return bad, nil })
		wantCode(t, fmt.Sprintf("change %+v", bad), err, bot.EINTERNAL)
	}
	equal(t, "state after refused changes", eventState(t, s, id), st)
}

// snapshot is everything a change of event id could have written.
type snapshot struct {
	State  bot.EventState
	Events []bot.Event
	Audit  []audit.Entry
	Outbox []bot.Delivery
}

func takeSnapshot(t *testing.T, s bot.Store, id int64) snapshot {
	t.Helper()
	ctx := context.Background()
	events, err := s.Events(ctx, bot.EventDraft, bot.EventPublished, bot.EventCancelled)
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{State: eventState(t, s, id), Events: events, Audit: log, Outbox: outbox(t, s)}
}

// everything is a change that writes every kind of row a change can, its
// audit entry following last.
func everything(id int64, last audit.Entry) bot.EventChange {
	prev := last.Hash
	if last.Seq == 0 {
		prev = audit.Genesis
	}
	e := fullEvent(id)
	e.Title, e.Status, e.Sequence = "Changed", bot.EventCancelled, 9
	return bot.EventChange{
		Event:         &e,
		Registrations: []bot.Registration{registration(id, carol, bot.RSVPGoing, epoch), registration(id, alice, bot.RSVPNotGoing, epoch)},
		Questions:     []bot.Question{{EventID: id, Number: 1, Text: "overwritten?", Asker: carol}, {EventID: id, Number: 5, Text: "new"}},
		Materials:     []bot.Material{{EventID: id, Number: 7, Title: "x", URL: "https://x.example"}},
		Audit:         []audit.Entry{sealed(id, last.Seq+1, prev, "cancel", "tenderbot", `{}`)},
		Deliveries:    []bot.Delivery{testDelivery("event:new", carol, epoch)},
		Cancel:        []string{"event:"},
	}
}

// seedEvent creates an event with a registration, a question, a pending
// delivery and one audit entry.
func seedEvent(t *testing.T, s bot.Store) int64 {
	t.Helper()
	return createEvent(t, s, bot.EventChange{
		Registrations: []bot.Registration{registration(0, alice, bot.RSVPGoing, epoch)},
		Questions:     []bot.Question{{Number: 1, Text: "Lots?", Asker: alice, AskedAt: epoch}},
		Deliveries:    []bot.Delivery{testDelivery("event:reminder", alice, epoch)},
	})
}

func testChangeErrorWritesNothing(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	id := seedEvent(t, s)
	change(t, s, id, bot.EventChange{Audit: []audit.Entry{sealed(id, 1, audit.Genesis, "publish", "tenderbot", `{}`)}})
	before := takeSnapshot(t, s, id)

	refused := bot.Errorf(bot.ELIMIT, "The event is full.")
	_, err := s.ChangeEvent(ctx, id, func(st bot.EventState) (bot.EventChange, error) {
		return everything(id, st.Last), refused
	})
	if err != error(refused) {
		t.Errorf("change failed with %v, want the change's own error, unwrapped", err)
	}
	equal(t, "after a failed change", takeSnapshot(t, s, id), before)

	// A failed creation leaves no event behind.
	_, err = s.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
		return everything(st.Event.ID, st.Last), refused
	})
	if err != error(refused) {
		t.Errorf("creation failed with %v, want the change's own error", err)
	}
	equal(t, "after a failed creation", takeSnapshot(t, s, id), before)

	// The same change without the error writes it all: the check above
	// could see each of its parts.
	change(t, s, id, everything(id, before.State.Last))
	after := takeSnapshot(t, s, id)
	if after.State.Event.Title != "Changed" || len(after.State.Registrations) != 2 || len(after.State.Questions) != 2 ||
		len(after.State.Materials) != 1 || len(after.Audit) != 2 || len(after.Outbox) != 2 || after.Outbox[0].Status != bot.StatusCancelled {
		t.Errorf("the change without an error wrote %+v", after)
	}
}

func testChangeEventRefusesAnotherEventsID(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := seedEvent(t, s)
	other := seedEvent(t, s)
	before, otherBefore := takeSnapshot(t, s, id), takeSnapshot(t, s, other)
	_, err := s.ChangeEvent(context.Background(), id, func(bot.EventState) (bot.EventChange, error) {
		ch := everything(id, audit.Entry{})
		ch.Event.ID = other
		return ch, nil
	})
	wantCode(t, "change with another event's id", err, bot.EINTERNAL)
	equal(t, "after the refused change", takeSnapshot(t, s, id), before)
	equal(t, "the other event after the refused change", takeSnapshot(t, s, other), otherBefore)
}

func testChangeEventSurvivesPanic(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := seedEvent(t, s)
	before := takeSnapshot(t, s, id)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		s.ChangeEvent(context.Background(), id, func(bot.EventState) (bot.EventChange, error) { panic("bug") })
	}()
	// The writer connection was given back: writes go on.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.ChangeEvent(ctx, id, func(bot.EventState) (bot.EventChange, error) { return bot.EventChange{}, nil }); err != nil {
		t.Fatalf("change after a panic: %v", err)
	}
	equal(t, "after the panic", takeSnapshot(t, s, id), before)
}

func testAuditEntriesStoredVerbatim(t *testing.T, s bot.Store, _ *bottest.Clock) {
	id := createEvent(t, s, bot.EventChange{})
	e1 := sealed(id, 1, audit.Genesis, "publish", "p-0123456789abcdef0123456789abcdef", `{"capacity":40,"title":"Supplier day — schools ✓"}`)
	e2 := sealed(id, 2, e1.Hash, "rsvp", "p-fedcba9876543210fedcba9876543210", `{"status":"going"}`)
	e3 := sealed(id, 3, e2.Hash, "note", "tenderbot", "")
	e3.Data = nil
	e4 := sealed(id, 4, e3.Hash, "odd", "tenderbot", "{ \"spaced\" : 1.50 }\n")
	change(t, s, id, bot.EventChange{Audit: []audit.Entry{e1}})
	change(t, s, id, bot.EventChange{Audit: []audit.Entry{e2, e3, e4}})

	log, err := s.AuditLog(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "audit log", log, []audit.Entry{e1, e2, e3, e4})
	equal(t, "last entry", eventState(t, s, id).Last, e4)
	if other, err := s.AuditLog(context.Background(), id+1); err != nil || other != nil {
		t.Errorf("audit log of a missing event: %v, %v; want none", other, err)
	}
}

func testAuditChainBreaksAreRefused(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	empty := seedEvent(t, s)
	id := seedEvent(t, s)
	e1 := sealed(id, 1, audit.Genesis, "publish", "tenderbot", `{}`)
	e2 := sealed(id, 2, e1.Hash, "rsvp", "tenderbot", `{}`)
	change(t, s, id, bot.EventChange{Audit: []audit.Entry{e1, e2}})

	tests := []struct {
		name  string
		event int64
		audit []audit.Entry
	}{
		{"first entry not seq 1", empty, []audit.Entry{sealed(empty, 2, audit.Genesis, "x", "tenderbot", `{}`)}},
		{"first entry not on genesis", empty, []audit.Entry{sealed(empty, 1, e2.Hash, "x", "tenderbot", `{}`)}},
		{"seq repeated", id, []audit.Entry{sealed(id, 2, e2.Hash, "x", "tenderbot", `{}`)}},
		{"seq skipped", id, []audit.Entry{sealed(id, 4, e2.Hash, "x", "tenderbot", `{}`)}},
		{"wrong prev hash", id, []audit.Entry{sealed(id, 3, e1.Hash, "x", "tenderbot", `{}`)}},
		{"second entry breaks the chain", id, []audit.Entry{sealed(id, 3, e2.Hash, "x", "tenderbot", `{}`), sealed(id, 4, e2.Hash, "y", "tenderbot", `{}`)}},
		{"another event's entry", id, []audit.Entry{sealed(empty, 3, e2.Hash, "x", "tenderbot", `{}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, s, tt.event)
			_, err := s.ChangeEvent(ctx, tt.event, func(st bot.EventState) (bot.EventChange, error) {
				ch := everything(tt.event, st.Last)
				ch.Audit = tt.audit
				return ch, nil
			})
			wantCode(t, "change", err, bot.EINTERNAL)
			equal(t, "after the refused change", takeSnapshot(t, s, tt.event), before)
		})
	}
	// The chain goes on where it was.
	change(t, s, id, bot.EventChange{Audit: []audit.Entry{sealed(id, 3, e2.Hash, "x", "tenderbot", `{}`)}})
}

func testEventDeliveries(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	id := createEvent(t, s, bot.EventChange{})
	remind := func(key string, to bot.Subscriber, text string) bot.Delivery {
		d := testDelivery(key, to, epoch.Add(24*time.Hour))
		d.Purpose, d.NoticeID, d.ProfileID, d.Message = bot.PurposeReminder, "", 0, bot.Message{Text: text}
		return d
	}
	key := func(who bot.Subscriber) string { return fmt.Sprintf("event:%d:reminder:%s", id, who.Key()) }
	change(t, s, id, bot.EventChange{Deliveries: []bot.Delivery{remind(key(alice), alice, "first"), remind(key(bob), bob, "first")}})
	// Again, as a retried step would: one delivery per key.
	change(t, s, id, bot.EventChange{Deliveries: []bot.Delivery{remind(key(alice), alice, "second")}})
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch.Add(48*time.Hour), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Key != key(alice) || due[0].Message.Text != "first" || due[1].Key != key(bob) {
		t.Fatalf("due after enqueueing twice: %+v", due)
	}
	if err := s.MarkSent(ctx, due[1].ID, epoch, "m1"); err != nil {
		t.Fatal(err)
	}

	// The event moves: pending reminders are cancelled before the new ones
	// are enqueued in the same change; the one sent stays sent.
	moved := remind(fmt.Sprintf("event:%d:reminder:v2:%s", id, alice.Key()), alice, "moved")
	change(t, s, id, bot.EventChange{Cancel: []string{fmt.Sprintf("event:%d:reminder:", id)}, Deliveries: []bot.Delivery{moved}})
	equal(t, "first reminder to alice", getDelivery(t, s, due[0].ID).Status, bot.StatusCancelled)
	equal(t, "reminder sent to bob", getDelivery(t, s, due[1].ID).Status, bot.StatusSent)
	due, err = s.DueDeliveries(ctx, allPlatforms, epoch.Add(48*time.Hour), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Key != moved.Key {
		t.Errorf("due after the move: %+v, want only %s", due, moved.Key)
	}
}

// testConcurrentRegistrationsNeverOverbook registers people from many
// goroutines at once, each deciding from the state it is given whether a
// place is left and appending to the audit chain: the places given never
// exceed the capacity, and the chain stays whole.
func testConcurrentRegistrationsNeverOverbook(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	const (
		capacity = 3
		people   = 16
	)
	ev, err := s.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
		e := fullEvent(st.Event.ID)
		e.Capacity = capacity
		return bot.EventChange{Event: &e}, nil
	})
	if err != nil {
		t.Fatal(err)
	}

	done := make(chan struct{})
	var reading sync.WaitGroup
	reading.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			st, err := s.EventState(ctx, ev.ID)
			if err != nil {
				t.Errorf("read: %v", err)
				return
			}
			if len(st.Registrations) != int(st.Last.Seq) {
				t.Errorf("read %d registrations beside %d audit entries: not one snapshot", len(st.Registrations), st.Last.Seq)
				return
			}
		}
	})

	var writing sync.WaitGroup
	for i := range people {
		writing.Go(func() {
			who := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprint("U-", i)}
			_, err := s.ChangeEvent(ctx, ev.ID, func(st bot.EventState) (bot.EventChange, error) {
				going := 0
				for _, r := range st.Registrations {
					if r.Status == bot.RSVPGoing {
						going++
					}
				}
				status := bot.RSVPGoing
				if going >= st.Event.Capacity {
					status = bot.RSVPWaitlisted
				}
				prev := st.Last.Hash
				if st.Last.Seq == 0 {
					prev = audit.Genesis
				}
				return bot.EventChange{
					Registrations: []bot.Registration{registration(ev.ID, who, status, epoch)},
					Audit:         []audit.Entry{sealed(ev.ID, st.Last.Seq+1, prev, "rsvp", "tenderbot", `{"status":"`+string(status)+`"}`)},
				}, nil
			})
			if err != nil {
				t.Errorf("register %s: %v", who.User, err)
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()

	st := eventState(t, s, ev.ID)
	count := map[bot.RSVP]int{}
	for _, r := range st.Registrations {
		count[r.Status]++
	}
	if count[bot.RSVPGoing] != capacity || count[bot.RSVPWaitlisted] != people-capacity {
		t.Errorf("registrations: %v, want %d going and %d waitlisted", count, capacity, people-capacity)
	}
	for i, r := range st.Registrations[:capacity] {
		if r.Status != bot.RSVPGoing {
			t.Errorf("registration %d is %s: the first %d in order should have the places", i, r.Status, capacity)
		}
	}
	if st.Last.Seq != people {
		t.Errorf("audit chain has %d entries, want %d", st.Last.Seq, people)
	}
}

func testEventsByStatusAndStart(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	add := func(title string, status bot.EventStatus, start time.Time) bot.Event {
		e, err := s.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
			e := bot.Event{ID: st.Event.ID, Title: title, Status: status, Start: start}
			return bot.EventChange{Event: &e}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	cest := time.FixedZone("", 2*3600)
	// late is added first, and reads earlier as text ("…T09:00Z" sorts
	// before "…T10:00+02:00"), but starts an hour after early.
	late := add("late", bot.EventPublished, time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	early := add("early", bot.EventPublished, time.Date(2026, 5, 1, 10, 0, 0, 0, cest))
	draft := add("draft", bot.EventDraft, time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	cancelled := add("cancelled", bot.EventCancelled, time.Date(2026, 4, 15, 9, 0, 0, 0, time.UTC))
	undated := add("undated", bot.EventDraft, time.Time{})

	tests := []struct {
		statuses []bot.EventStatus
		want     []bot.Event
	}{
		{[]bot.EventStatus{bot.EventPublished}, []bot.Event{early, late}},
		{[]bot.EventStatus{bot.EventPublished, bot.EventCancelled}, []bot.Event{cancelled, early, late}},
		{[]bot.EventStatus{bot.EventDraft}, []bot.Event{undated, draft}},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := s.Events(ctx, tt.statuses...)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, fmt.Sprint("events ", tt.statuses), got, tt.want)
	}
}

func testAuditActorsStableAndDistinct(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	first, err := s.AuditActors(ctx, []bot.Subscriber{alice, bob, alice, channel})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 3 {
		t.Fatalf("actors: %v, want 3", first)
	}
	seen := map[string]bool{}
	for sub, actor := range first {
		if len(actor) != 34 || actor[:2] != "p-" {
			t.Errorf("pseudonym of %s: %q, want p- and 32 hex digits", sub.Key(), actor)
		}
		if seen[actor] {
			t.Errorf("pseudonym %s given twice", actor)
		}
		seen[actor] = true
	}

	second, err := s.AuditActors(ctx, []bot.Subscriber{bob, carol})
	if err != nil {
		t.Fatal(err)
	}
	if second[bob] != first[bob] {
		t.Errorf("bob's pseudonym changed from %s to %s", first[bob], second[bob])
	}
	if seen[second[carol]] || len(second) != 2 {
		t.Errorf("second call: %v", second)
	}
	if got, err := s.AuditActors(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no subscribers: %v, %v", got, err)
	}
}
