package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// TestSlackEventFormAndAskModal posts an event through the Slack modal and
// asks about it through the Ask a question modal, with the whole bot
// against the fake Slack: a start in the past is shown under the start
// input and the form stays open; a good form is a draft with its Publish
// button; once published, a supplier's questions, from the invitation and
// from the announcement, reach the organiser without the supplier's id.
func TestSlackEventFormAndAskModal(t *testing.T) {
	fake, b := startSlackEventBot(t)
	ctx := slackContext(t)
	staffDM, annDM := fakeslack.DMChannel("U0STAFF"), fakeslack.DMChannel("U0ANN")

	deliver := func(r *fakeslack.Request) fakeslack.Ack {
		t.Helper()
		ack, err := fake.Deliver(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	answerTo := func(url string) fakeslack.Call {
		t.Helper()
		c, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == url })
		if err != nil {
			t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
		}
		return c
	}
	command := func(user, text string) fakeslack.Call {
		t.Helper()
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: user, Channel: fakeslack.DMChannel(user), Text: text})
		deliver(cmd)
		return answerTo(cmd.ResponseURL)
	}
	// modal waits until user has a modal with the callback on top.
	modal := func(user, callback string) fakeslack.View {
		t.Helper()
		for {
			if v, ok := fake.TopView(user); ok && v.CallbackID == callback {
				return v
			}
			select {
			case <-ctx.Done():
				t.Fatalf("no %s modal for %s; views.open calls: %+v\nstderr:\n%s", callback, user, fake.Calls("views.open"), b.stderr.String())
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	submit := func(user string, values fakeslack.Values) (action string, errors map[string]string) {
		t.Helper()
		r, err := fake.ViewSubmission(user, values)
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		if ack := deliver(r); len(ack.Payload) > 0 {
			if err := json.Unmarshal(ack.Payload, &resp); err != nil {
				t.Fatalf("ack %s: %v", ack.Payload, err)
			}
		}
		return resp.ResponseAction, resp.Errors
	}
	posted := func(channel, want string) fakeslack.Call {
		t.Helper()
		c, err := fake.WaitCall(ctx, "chat.postMessage", func(c fakeslack.Call) bool {
			return c.OK() && c.Param("channel") == channel && strings.Contains(shown(c), want)
		})
		if err != nil {
			t.Fatalf("no message to %s showing %q: %v\nstderr:\n%s", channel, want, err, b.stderr.String())
		}
		return c
	}

	if got := shown(command("U0ANN", "subscribe cpv:09 nuts:NL21")); !strings.Contains(got, "Saved profile") {
		t.Fatalf("U0ANN's subscribe: %s", got)
	}

	// A supplier asking for the form is told why not, and gets none.
	if got := shown(command("U0ANN", "event new")); !strings.Contains(got, "staff") {
		t.Errorf("event new from a supplier: got %q, want the refusal", got)
	}
	if n := len(fake.Calls("views.open")); n != 0 {
		t.Errorf("a supplier got the event form (%d views.open)", n)
	}

	// Staff open the form with "/tender event new" alone.
	slash := fake.SlashCommand(fakeslack.SlashCommand{User: "U0STAFF", Channel: staffDM, Text: "event new"})
	deliver(slash)
	modal("U0STAFF", "tb_event_form")

	day := time.Now().AddDate(0, 0, 14).Format("2006-01-02")
	form := fakeslack.Values{
		"title":  {"title": fakeslack.Text("Marktconsultatie zonnedaken")},
		"kind":   {"kind": fakeslack.Text("consultation")},
		"start":  {"start": fakeslack.Text("2020-02-10T14:00+01:00")},
		"end":    {"end": fakeslack.Text("16:00")},
		"place":  {"place": fakeslack.Text("Stadhuis Almelo")},
		"target": {"target": fakeslack.Text("cpv:09331200 nuts:NL21")},
	}
	action, errs := submit("U0STAFF", form)
	if action != "errors" || len(errs) != 1 || !strings.Contains(errs["start"], "in the past") {
		t.Fatalf("a start in the past: got %s %v, want an error under start", action, errs)
	}
	if v, _ := fake.TopView("U0STAFF"); v.CallbackID != "tb_event_form" {
		t.Errorf("the form closed on an error; top view %q", v.CallbackID)
	}
	// The form was open past the slash command's response_url (Slack takes
	// answers there for 30 minutes): the draft comes by direct message.
	fake.Fail("response_url", "expired_url", 1)
	form["start"] = map[string]any{"start": fakeslack.Text(day + "T14:00+01:00")}
	if action, errs := submit("U0STAFF", form); action != "clear" || len(errs) != 0 {
		t.Fatalf("a good form: got %s %v, want the modal closed", action, errs)
	}
	draft, err := fake.WaitCall(ctx, "chat.postMessage", func(c fakeslack.Call) bool {
		return c.OK() && c.Param("channel") == staffDM && strings.Contains(shown(c), "Draft saved")
	})
	if err != nil {
		t.Fatalf("the draft after an expired response_url: %v", err)
	}
	if !strings.Contains(shown(draft), "Draft saved as event 1") || !strings.Contains(shown(draft), "Reach: 1 subscribed") {
		t.Errorf("the draft: %s", shown(draft))
	}
	if id := buttonWithPrefix(t, draft.Param("blocks"), "tb1:publish:"); id != "tb1:publish:1:event" {
		t.Errorf("the draft's Publish button: %s", id)
	}
	if got := shown(command("U0STAFF", "event publish 1")); !strings.Contains(got, "Published event 1") {
		t.Fatalf("event publish 1: %s", got)
	}

	// The supplier asks from the invitation, and someone else from the
	// announcement: each through the modal.
	ask := func(user string, msg fakeslack.Call, question string) fakeslack.Call {
		t.Helper()
		id := buttonWithPrefix(t, msg.Param("blocks"), "tb1:ask:")
		if id != "tb1:ask:1:event" {
			t.Errorf("the Ask a question button: %s", id)
		}
		click := fake.Click(fakeslack.Click{User: user, Channel: msg.Param("channel"), MessageTS: msg.TS, ActionID: id, Value: id, Text: "Ask a question"})
		deliver(click)
		modal(user, "tb_event_ask")
		if action, errs := submit(user, fakeslack.Values{"question": {"question": fakeslack.Text(question)}}); action != "clear" || len(errs) != 0 {
			t.Fatalf("the question: got %s %v, want the modal closed", action, errs)
		}
		return answerTo(click.ResponseURL)
	}
	invitation := posted(annDM, "You're invited")
	if got := shown(ask("U0ANN", invitation, "Mogen consortia inschrijven?")); !strings.Contains(got, "Your question is Q1") {
		t.Errorf("the answer to U0ANN's question: %s", got)
	}
	q1 := posted(staffDM, "Mogen consortia inschrijven?")
	announcement := posted("C0EVENTS", "Marktconsultatie zonnedaken")
	if got := shown(ask("U0BOB", announcement, "Is er parkeergelegenheid?")); !strings.Contains(got, "Your question is Q2") {
		t.Errorf("the answer to U0BOB's question: %s", got)
	}
	q2 := posted(staffDM, "Is er parkeergelegenheid?")
	for name, c := range map[string]fakeslack.Call{"Q1": q1, "Q2": q2} {
		got := strings.ToLower(shown(c))
		if !strings.Contains(got, strings.ToLower(name)) {
			t.Errorf("the question to staff is not %s:\n%s", name, shown(c))
		}
		if strings.Contains(got, "u0ann") || strings.Contains(got, "u0bob") {
			t.Errorf("the question to staff names the asker:\n%s", shown(c))
		}
	}
}
