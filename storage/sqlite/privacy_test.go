package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
)

func TestPruneKeepsWhatIsRecentOrPending(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	old := fullNotice()
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
	recent := fullNotice()
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

// seedEventsFor gives alice and bob a part in two events: alice organizes
// the first, both register for it and ask a question each, and both act
// in its audit chain under their pseudonyms; alice also registers for the
// second. It returns the two event ids.
func seedEventsFor(t *testing.T, s *Store) (first, second int64) {
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

func TestPersonalDataHasEventRegistrationsAndQuestions(t *testing.T) {
	s, _ := openTestStore(t)
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

// findInDatabase returns the table.column of every value in the database
// that contains needle, scanning every column of every table.
func findInDatabase(t *testing.T, s *Store, needle string) []string {
	t.Helper()
	ctx := context.Background()
	tables, err := s.reader.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var name string
		if err := tables.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	tables.Close()
	var found []string
	for _, table := range names {
		for _, row := range tableRows(t, s, table, "") {
			for col, v := range row {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				default:
					text = fmt.Sprint(v)
				}
				if strings.Contains(text, needle) && !slices.Contains(found, table+"."+col) {
					found = append(found, table+"."+col)
				}
			}
		}
	}
	slices.Sort(found)
	return found
}

// tableRows returns every row of table as column → value, in the order
// given ("" for any).
func tableRows(t *testing.T, s *Store, table, order string) []map[string]any {
	t.Helper()
	q := fmt.Sprintf(`SELECT * FROM %q`, table)
	if order != "" {
		q += " ORDER BY " + order
	}
	rows, err := s.reader.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	return out
}

func TestForgetLeavesNoTraceInAnyTable(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	saveNotices(t, s, fullNotice())
	p := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, alice, fullNotice().ID, epoch); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAction(ctx, alice, bot.Action{Kind: bot.ActionFollow, ProfileID: p.ID}, fullNotice().ID, epoch); err != nil {
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
	bobActor, err := s.AuditActors(ctx, []bot.Subscriber{bob})
	if err != nil {
		t.Fatal(err)
	}

	// The scan finds her before: it would see her after.
	found := findInDatabase(t, s, alice.User)
	for _, want := range []string{"event_registrations.user_id", "event_questions.asker_user_id", "audit_actors.user_id", "events.organizer_user_id", "profiles.user_id", "outbox.key"} {
		if !slices.Contains(found, want) {
			t.Errorf("before forgetting, the scan did not find alice in %s (found %v)", want, found)
		}
	}
	auditBefore := tableRows(t, s, "audit_log", "event_id, seq")
	if len(auditBefore) != 2 {
		t.Fatalf("audit_log has %d rows, want 2", len(auditBefore))
	}

	if err := s.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}

	if found := findInDatabase(t, s, alice.User); len(found) != 0 {
		t.Errorf("after forgetting alice, she is still in %v", found)
	}
	equal(t, "audit_log after forgetting", tableRows(t, s, "audit_log", "event_id, seq"), auditBefore)

	// Her question stays, unsigned, with its answer; bob keeps all of his.
	st := eventState(t, s, first)
	equal(t, "questions after forgetting", st.Questions, []bot.Question{
		{EventID: first, Number: 1, Text: "Is the contract split into lots?", AskedAt: epoch, Answer: "Yes, three.", AnsweredAt: epoch},
		{EventID: first, Number: 2, Text: "Can SMEs bid together?", Asker: bob, AskedAt: epoch},
	})
	equal(t, "registrations after forgetting", st.Registrations, []bot.Registration{registration(first, bob, bot.RSVPGoing, epoch)})
	if st.Event.Organizer != (bot.Subscriber{}) || st.Event.Title != e.Title {
		t.Errorf("event after forgetting its organizer: organizer %+v, title %q", st.Event.Organizer, st.Event.Title)
	}
	actors, err := s.AuditActors(ctx, []bot.Subscriber{alice, bob})
	if err != nil {
		t.Fatal(err)
	}
	if actors[bob] != bobActor[bob] {
		t.Errorf("bob's pseudonym changed from %s to %s", bobActor[bob], actors[bob])
	}
	for _, row := range auditBefore {
		if row["actor"] == actors[alice] {
			t.Errorf("alice came back as %s, the pseudonym she had before", actors[alice])
		}
	}
}
