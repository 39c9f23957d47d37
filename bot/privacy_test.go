package bot_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
)

func TestMyDataExportsEverything(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, `subscribe name="Bouw" cpv:45`)
	h.say(alice, "quiet 22:00-07:00")
	h.poll(sporthal)
	h.deliver()
	h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: alertAction(t, h, bot.ActionFollow)})

	reply := h.say(alice, "my data")
	if reply.Attachment == nil || reply.Attachment.ContentType != "application/json" {
		t.Fatalf("my data: %q with no JSON attachment", reply.Text)
	}
	var data bot.PersonalData
	if err := json.Unmarshal(reply.Attachment.Data, &data); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if len(data.Profiles) != 1 || data.Profiles[0].Name != "Bouw" || len(data.Follows) != 1 ||
		len(data.Actions) != 1 || len(data.Deliveries) != 3 || data.Settings.Quiet == nil { // the alert and two reminders
		t.Errorf("export: %+v", data)
	}
}

func TestForgetMeLeavesNoTrace(t *testing.T) {
	h := newEventHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.say(alice, "subscribe sporthal")
	h.say(alice, "quiet 22:00-07:00")
	h.say(bob, "subscribe cpv:45")
	h.poll(sporthal)
	h.deliver()
	for _, sent := range h.chat.Sent() {
		if sent.To != alice {
			continue
		}
		for _, a := range sent.Message.Cards[0].Actions {
			if a.Kind != bot.ActionNotRelevant {
				h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: a}) // follow, mute the buyer
			}
		}
	}

	// alice registers for an event and asks a question, which is answered.
	event := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf(`event rsvp %d going name="Alice de Vries" company="Alice Zon BV"`, event))
	h.say(alice, fmt.Sprintf("event ask %d Mag een consortium inschrijven?", event))
	h.say(staff, fmt.Sprintf("event answer %d 1 Ja.", event))
	h.deliver()
	data := h.say(alice, "my data")
	if !strings.Contains(data.Text, "1 event registration(s), 1 question(s)") {
		t.Errorf("my data must count the event data: %q", data.Text)
	}
	chain, err := h.store.AuditLog(h.ctx, event)
	if err != nil {
		t.Fatal(err)
	}

	ask := h.say(alice, "forget me")
	if !strings.Contains(ask.Text, "forget me confirm") || len(ask.Actions) != 1 || ask.Actions[0].Kind != bot.ActionForget {
		t.Fatalf("forget me should ask first, with a button: %+v", ask)
	}
	if profiles, _ := h.store.ListProfiles(h.ctx, alice); len(profiles) != 2 {
		t.Fatal("asking erased something")
	}
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: ask.Actions[0]}); !strings.Contains(reply.Text, "erased everything") {
		t.Fatalf("confirm: %q", reply.Text)
	}

	// Scan every text column of every table for alice.
	conn, err := sql.Open("sqlite", h.db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tables, err := conn.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'notices_fts%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var name string
		tables.Scan(&name)
		names = append(names, name)
	}
	tables.Close()
	for _, table := range names {
		rows, err := conn.Query(fmt.Sprintf(`SELECT * FROM %q`, table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for i, v := range vals {
				if s := fmt.Sprint(v); strings.Contains(strings.ToLower(s), "alice") {
					t.Errorf("table %s column %s still holds %q", table, cols[i], s)
				}
			}
		}
		rows.Close()
	}
	// The audit chain is unchanged and still verifies: it holds only
	// alice's pseudonym, whose key was erased.
	after, err := h.store.AuditLog(h.ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(chain) || after[len(after)-1].Hash != chain[len(chain)-1].Hash {
		t.Errorf("forget me changed the audit chain: %d entries, was %d", len(after), len(chain))
	}
	if err := audit.VerifyEntries(after); err != nil {
		t.Errorf("the chain no longer verifies: %v", err)
	}
	// bob is untouched, and alice's profiles no longer match.
	h.poll(notice("n-after", "Onderhoud", "45000000", "NL213", h.clock.Now()))
	h.deliver()
	last := h.chat.Sent()[len(h.chat.Sent())-1]
	if last.To != bob {
		t.Errorf("after forgetting alice the last alert went to %s, want bob", last.To.Key())
	}
}
