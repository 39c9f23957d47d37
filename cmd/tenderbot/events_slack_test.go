package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// TestSlackEventInviteRSVPAndFairQA runs an engagement event from draft to
// answered question through the real Slack client against the fake Slack:
// the public announcement goes out before the invitations, only matching
// subscribers are invited and told why, a full event puts the next person
// on the waitlist and promotes them when a place opens, and a question
// reaches the organiser and every registrant without the asker's name, in
// chat and on the public pages.
func TestSlackEventInviteRSVPAndFairQA(t *testing.T) {
	fake, b := startSlackEventBot(t)
	base := httpBase(t, &b.stdout)
	ctx := slackContext(t)

	annDM, bobDM, staffDM := fakeslack.DMChannel("U0ANN"), fakeslack.DMChannel("U0BOB"), fakeslack.DMChannel("U0STAFF")
	var annAnswers []string // the response URLs of U0ANN's requests

	// command sends /tender text as user, from their direct message with
	// the bot, and returns what the bot answered ephemerally.
	command := func(user, text string) fakeslack.Call {
		t.Helper()
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: user, Channel: fakeslack.DMChannel(user), Text: text})
		if user == "U0ANN" {
			annAnswers = append(annAnswers, cmd.ResponseURL)
		}
		if _, err := fake.Deliver(ctx, cmd); err != nil {
			t.Fatal(err)
		}
		answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL })
		if err != nil {
			t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
		}
		if answer.Param("response_type") != "ephemeral" {
			t.Errorf("the answer to %q is not ephemeral: %s", text, answer.JSON)
		}
		return answer
	}
	// click presses a button of a posted message as user and returns the
	// ephemeral answer.
	click := func(user string, msg fakeslack.Call, action, label string) fakeslack.Call {
		t.Helper()
		id := buttonWithPrefix(t, msg.Param("blocks"), action)
		r := fake.Click(fakeslack.Click{User: user, Channel: msg.Param("channel"), MessageTS: msg.TS, ActionID: id, Value: id, Text: label})
		if user == "U0ANN" {
			annAnswers = append(annAnswers, r.ResponseURL)
		}
		if _, err := fake.Deliver(ctx, r); err != nil {
			t.Fatal(err)
		}
		answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == r.ResponseURL })
		if err != nil {
			t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
		}
		return answer
	}
	// posted waits for a chat.postMessage to channel that shows want.
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
	expect := func(what string, c fakeslack.Call, wants ...string) {
		t.Helper()
		for _, want := range wants {
			if !strings.Contains(shown(c), want) {
				t.Errorf("%s lacks %q:\n%s", what, want, shown(c))
			}
		}
	}

	// Two suppliers subscribe; only the first one's profile fits the event.
	expect("the answer to U0ANN's subscribe", command("U0ANN", "subscribe cpv:09 nuts:NL21"), "Saved profile")
	expect("the answer to U0BOB's subscribe", command("U0BOB", "subscribe cpv:45"), "Saved profile")

	// Staff post the event in one line: a draft with its reach.
	start := time.Now().AddDate(0, 0, 14).Format("2006-01-02") + "T14:00:00+01:00"
	draft := command("U0STAFF", `event new title="Marktconsultatie zonnedaken" kind=consultation start=`+start+
		` end=16:00 place="Stadhuis Almelo" capacity=1 target="cpv:09331200 nuts:NL21"`)
	expect("the draft", draft, "Draft saved as event 1", "Reach: 1 subscribed")
	if strings.Contains(strings.ToLower(shown(draft)), "u0ann") {
		t.Errorf("the reach preview names a subscriber:\n%s", shown(draft))
	}
	expect("the answer to event publish", command("U0STAFF", "event publish 1"), "Published event 1", "1 invitation(s)")

	// Public first: the announcement precedes the invitation, which says
	// why it matched and carries the RSVP buttons.
	announcement := posted("C0EVENTS", "Marktconsultatie zonnedaken")
	invitation := posted(annDM, "You're invited")
	expect("the invitation", invitation, "Marktconsultatie zonnedaken", "Matched because", "event rsvp 1 going")
	if !strings.Contains(invitation.Param("blocks"), `"action_id":"tb1:going:1:event"`) {
		t.Errorf("the invitation has no Going button tb1:going:1:event:\n%s", invitation.Param("blocks"))
	}
	if _, ok := fakeslack.ButtonID(announcement.Param("blocks"), "tb1:going:1:event"); !ok {
		t.Errorf("the announcement has no Going button:\n%s", announcement.Param("blocks"))
	}
	order := map[string]int{}
	for i, c := range fake.Calls("chat.postMessage") {
		if c.OK() && c.TS == announcement.TS {
			order["announcement"] = i
		}
		if c.OK() && c.TS == invitation.TS {
			order["invitation"] = i
		}
	}
	if order["announcement"] >= order["invitation"] {
		t.Errorf("the invitation (post %d) went out before the public announcement (post %d)", order["invitation"], order["announcement"])
	}

	// U0ANN presses Going: a place, and the calendar file in the DM.
	expect("the answer to Going", click("U0ANN", invitation, "tb1:going:1:event", "Going"), "You're going")
	if _, err := fake.WaitCall(ctx, "files.completeUploadExternal", func(c fakeslack.Call) bool {
		return c.OK() && c.Param("channel_id") == annDM
	}); err != nil {
		t.Fatalf("the calendar file was not shared with U0ANN: %v", err)
	}
	var ics *fakeslack.File
	for _, f := range fake.Files() {
		if f.Channel == annDM && f.Name == "event-1.ics" {
			ics = &f
		}
	}
	if ics == nil {
		t.Errorf("no event-1.ics shared in U0ANN's DM; files: %+v", fake.Files())
	} else if !strings.HasPrefix(string(ics.Data), "BEGIN:VCALENDAR\r\n") || !strings.Contains(string(ics.Data), "Marktconsultatie zonnedaken") {
		t.Errorf("event-1.ics is not the event's calendar entry:\n%s", ics.Data)
	}

	// The event holds one: U0BOB, registering by command, is waitlisted.
	expect("the answer to U0BOB's RSVP", command("U0BOB", "event rsvp 1 going"), "waitlist")

	// U0BOB's question reaches the organiser without U0BOB's name.
	expect("the answer to the question", command("U0BOB", "event ask 1 Mogen consortia inschrijven?"), "Q1")
	question := posted(staffDM, "Mogen consortia inschrijven?")
	expect("the question to staff", question, "Q1")
	if strings.Contains(strings.ToLower(shown(question)), "u0bob") {
		t.Errorf("the question to staff names the asker:\n%s", shown(question))
	}

	// The answer goes to every registrant, the asker as one of them.
	expect("the answer to event answer", command("U0STAFF", "event answer 1 1 Ja, consortia zijn welkom."), "Q1 answered")
	posted(annDM, "Ja, consortia zijn welkom.")
	posted(bobDM, "Ja, consortia zijn welkom.")

	// U0ANN gives up the place: U0BOB moves up from the waitlist.
	expect("the answer to Can't go", click("U0ANN", invitation, "tb1:cant_go:1:event", "Can't go"), "can't go")
	posted(bobDM, "A place opened up")

	// Nothing U0ANN or the announcement channel was sent names U0BOB, and
	// U0BOB, whose profile does not fit, was never invited.
	for _, c := range fake.Calls() {
		if !c.OK() {
			continue
		}
		ch := c.Param("channel")
		if ch == "" {
			ch = c.Param("channel_id")
		}
		toAnn := ch == annDM || ch == "C0EVENTS" || (c.Method == "response_url" && slices.Contains(annAnswers, c.URL))
		if toAnn && strings.Contains(strings.ToLower(shown(c)), "u0bob") {
			t.Errorf("%s to %s names U0BOB:\n%s", c.Method, ch, shown(c))
		}
		if c.Method == "chat.postMessage" && ch == bobDM && strings.Contains(shown(c), "You're invited") {
			t.Errorf("U0BOB was invited, though cpv:45 does not fit the event:\n%s", shown(c))
		}
	}
	for _, f := range fake.Files() {
		if f.Channel == annDM && strings.Contains(strings.ToLower(string(f.Data)), "u0bob") {
			t.Errorf("the file %s shared with U0ANN names U0BOB", f.Name)
		}
	}

	// The public page, feed and calendar entry show the same Q&A to all;
	// the invitation links to the page on the port the listener got.
	if !strings.Contains(shown(invitation), base+"/events/1") {
		t.Errorf("the invitation does not link to %s/events/1:\n%s", base, shown(invitation))
	}
	code, page := httpGet(t, base+"/events/1")
	if code != http.StatusOK {
		t.Fatalf("/events/1: %d\n%s", code, page)
	}
	for _, want := range []string{"Marktconsultatie zonnedaken", "Q1", "Mogen consortia inschrijven?", "Ja, consortia zijn welkom", "event rsvp 1 going"} {
		if !strings.Contains(page, want) {
			t.Errorf("/events/1 lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(strings.ToLower(page), "u0bob") {
		t.Errorf("/events/1 names the asker:\n%s", page)
	}
	if code, feed := httpGet(t, base+"/events.atom"); code != http.StatusOK || !strings.Contains(feed, "Q1 answered") || strings.Contains(strings.ToLower(feed), "u0bob") {
		t.Errorf("/events.atom: %d, want the answer without the asker:\n%s", code, feed)
	}
	if code, cal := httpGet(t, base+"/events/1.ics"); code != http.StatusOK || !strings.HasPrefix(cal, "BEGIN:VCALENDAR\r\n") {
		t.Errorf("/events/1.ics: %d\n%s", code, cal)
	}
}

// shown is what a message or answer shows: its text and every text in its
// blocks, unescaped.
func shown(c fakeslack.Call) string {
	var sb strings.Builder
	sb.WriteString(c.Param("text"))
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			sb.WriteString("\n" + v)
		}
	}
	var blocks any
	if json.Unmarshal([]byte(c.Param("blocks")), &blocks) == nil {
		walk(blocks)
	}
	return sb.String()
}

// startSlackEventBot runs the bot against a fake Slack whose U0STAFF is an
// admin, with C0EVENTS as the announcement channel, and waits until it is
// connected and has read its feed.
func startSlackEventBot(t *testing.T) (*fakeslack.Server, *runningBot) {
	t.Helper()
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	slackEnv(t, fake)
	team := fake.Options().TeamID
	t.Setenv("TENDERBOT_ADMINS", "slack:"+team+":U0STAFF")
	t.Setenv("TENDERBOT_EVENT_CHANNELS", "slack:"+team+":C0EVENTS")
	b := startBot(t)
	waitReady(t, httpBase(t, &b.stdout))
	return fake, b
}
