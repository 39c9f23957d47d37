package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

func TestEventFormRequest(t *testing.T) {
	for text, want := range map[string]bool{
		"event new":              true,
		"  Event   NEW ":         true,
		"event new title=Zon":    false,
		"event":                  false,
		"event publish 1":        false,
		"events":                 false,
		"new event":              false,
		"event new\ttitle=\"x\"": false,
	} {
		if got := eventFormRequest(text); got != want {
			t.Errorf("eventFormRequest(%q): got %v, want %v", text, got, want)
		}
	}
}

// TestEventViewsFitSlack checks the event form and the question modal
// against Block Kit's limits, and that every input the core's errors can
// name is there to show them under.
func TestEventViewsFitSlack(t *testing.T) {
	meta := formMeta{ResponseURL: "https://hooks.slack.com/commands/T/1/" + strings.Repeat("x", 60), Event: 1 << 40}
	form := eventView(text.Printer{}, meta)
	golden(t, "event_form.json", form)
	golden(t, "ask.json", askView(text.Printer{}, formMeta{ResponseURL: "https://hooks.slack.com/actions/T/1/x", Event: 3}))
	for _, v := range []slackapi.ModalViewRequest{form, askView(text.Printer{}, meta)} {
		if err := fakeslack.CheckView(mustMarshal(t, v)); err != nil {
			t.Errorf("%s: %v", v.CallbackID, err)
		}
		for _, text := range []*slackapi.TextBlockObject{v.Title, v.Submit, v.Close} {
			if n := utf8.RuneCountInString(text.Text); n > 24 {
				t.Errorf("%s: %q has %d characters; Slack takes 24", v.CallbackID, text.Text, n)
			}
		}
	}

	inputs := map[string]*slackapi.InputBlock{}
	for _, b := range form.Blocks.BlockSet {
		if in, ok := b.(*slackapi.InputBlock); ok {
			inputs[in.BlockID] = in
		}
	}
	for _, f := range engage.EventFormFields() {
		in, ok := inputs[f.Key]
		if !ok {
			t.Errorf("the form has no input for %s", f.Key)
			continue
		}
		el := in.Element.(*slackapi.PlainTextInputBlockElement)
		if el.ActionID != f.Key || in.Optional == f.Required || el.Multiline != f.Long || in.Label.Text != f.Label {
			t.Errorf("%s: got action_id %q optional %v multiline %v label %q", f.Key, el.ActionID, in.Optional, el.Multiline, in.Label.Text)
		}
		if f.Hint != "" && (el.Placeholder == nil || !strings.HasPrefix(f.Hint, strings.TrimSuffix(el.Placeholder.Text, "…"))) {
			t.Errorf("%s: placeholder %+v, want the hint %q", f.Key, el.Placeholder, f.Hint)
		}
		if got := eventInputFor(&bot.Error{Code: bot.EINVALID, Field: f.Key}); got != f.Key {
			t.Errorf("an error about %s goes under %s", f.Key, got)
		}
	}
	for _, err := range []error{bot.Errorf(bot.EINVALID, "Only staff"), &bot.Error{Field: "no_such_field"}} {
		if got := eventInputFor(err); inputs[got] == nil || got != engage.EventFormFields()[0].Key {
			t.Errorf("an error about no input of the form goes under %q, want the first input", got)
		}
	}
	if back := decodeMeta(form.PrivateMetadata); back != meta {
		t.Errorf("private_metadata round trip: got %+v, want %+v", back, meta)
	}
}

func TestEventFormFromSlashCommandToDraft(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	slash := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "event new"})
	deliver(t, fake, slash)
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	form, _ := fake.TopView("U1")
	if form.CallbackID != eventCallback {
		t.Fatalf("top view: got %q, want the event form", form.CallbackID)
	}

	// Nothing filled in: the title is wanted; a start in the past is shown
	// under the start.
	for _, tt := range []struct {
		values      fakeslack.Values
		block, text string
	}{
		{fakeslack.Values{}, "title", "Title is required."},
		{fakeslack.Values{"title": {"title": fakeslack.Text("Zon")}, "start": {"start": fakeslack.Text("yesterday")}}, "start", "The start is in the past"},
	} {
		submit, err := fake.ViewSubmission("U1", tt.values)
		if err != nil {
			t.Fatal(err)
		}
		ack := deliver(t, fake, submit)
		var resp struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(ack.Payload, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.ResponseAction != "errors" || len(resp.Errors) != 1 || !strings.HasPrefix(resp.Errors[tt.block], tt.text) {
			t.Errorf("got %s, want the error %q under %s", ack.Payload, tt.text, tt.block)
		}
		if v, _ := fake.TopView("U1"); v.CallbackID != eventCallback {
			t.Errorf("the form should stay open; top view is %q", v.CallbackID)
		}
	}

	submit, _ := fake.ViewSubmission("U1", fakeslack.Values{
		"title":       {"title": fakeslack.Text(" Marktconsultatie zonnedaken ")},
		"start":       {"start": fakeslack.Text("2027-02-10T14:00+01:00")},
		"description": {"description": fakeslack.Text("")},
		"capacity":    {"capacity": fakeslack.Text("30")},
	})
	if ack := deliver(t, fake, submit); ackField(t, ack, "response_action") != "clear" {
		t.Errorf("a good form: got %s, want response_action clear", ack.Payload)
	}
	if stack := fake.ViewStack("U1"); len(stack) != 0 {
		t.Errorf("modals still open after saving: %d", len(stack))
	}
	answer := responseTo(t, fake, slash.ResponseURL)
	if !strings.Contains(answer.Param("text"), "Draft saved as event 1") || answer.Param("response_type") != "ephemeral" {
		t.Errorf("the answer: got %s", answer.JSON)
	}
	if id := buttonIn(t, answer.Param("blocks"), "tb1:publish:"); id != "tb1:publish:1:event" {
		t.Errorf("the Publish button: got %s", id)
	}
	events := core.snapshot().events
	want := map[string]string{"title": "Marktconsultatie zonnedaken", "start": "2027-02-10T14:00+01:00", "capacity": "30"}
	if len(events) != 1 || len(events[0]) != len(want) {
		t.Fatalf("forms submitted: got %v, want [%v]", events, want)
	}
	for k, v := range want {
		if events[0][k] != v {
			t.Errorf("%s: got %q, want %q", k, events[0][k], v)
		}
	}
	if n := len(core.snapshot().commands); n != 0 {
		t.Errorf("\"event new\" alone went to the core as a command (%d commands); it opens the form", n)
	}
}

func TestEventNewWithFieldsStaysACommand(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	slash := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: `event new title="Zon"`})
	deliver(t, fake, slash)
	if got := responseTo(t, fake, slash.ResponseURL).Param("text"); !strings.Contains(got, `you said event new title="Zon"`) {
		t.Errorf("answer: got %q", got)
	}
	if n := len(fake.Calls("views.open")); n != 0 {
		t.Errorf("views.open called %d times; with fields, event new is a command", n)
	}
}

func TestEventFormIsNotOpenedForWhomTheCoreRefuses(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	slash := fake.SlashCommand(fakeslack.SlashCommand{User: supplier, Channel: "C0CHAN", Text: "event new"})
	deliver(t, fake, slash)
	if got := responseTo(t, fake, slash.ResponseURL).Param("text"); !strings.Contains(got, "Only people with the staff role") {
		t.Errorf("answer: got %q, want the core's refusal", got)
	}
	if n := len(fake.Calls("views.open")); n != 0 {
		t.Errorf("views.open called %d times for someone who may not post events", n)
	}
}

func TestAskButtonOpensTheQuestionModal(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	ask := bot.Action{Kind: bot.ActionAsk, EventID: 7}
	click := fake.Click(fakeslack.Click{User: "U2", Channel: "C0EVENTS", MessageTS: "1.1", ActionID: ask.String(), Value: ask.String(), Text: "Ask a question"})
	deliver(t, fake, click)
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	modal, _ := fake.TopView("U2")
	if modal.CallbackID != askCallback || decodeMeta(modal.PrivateMetadata).Event != 7 {
		t.Fatalf("top view: got %q with metadata %q, want the question modal for event 7", modal.CallbackID, modal.PrivateMetadata)
	}

	blank, _ := fake.ViewSubmission("U2", fakeslack.Values{inputQuestion: {inputQuestion: fakeslack.Text("  ")}})
	if ack := deliver(t, fake, blank); !strings.Contains(string(ack.Payload), `"question":"Write your question."`) {
		t.Errorf("a blank question: got %s, want an error under the input", ack.Payload)
	}
	submit, _ := fake.ViewSubmission("U2", fakeslack.Values{inputQuestion: {inputQuestion: fakeslack.Text("Mogen consortia inschrijven?")}})
	if ack := deliver(t, fake, submit); ackField(t, ack, "response_action") != "clear" {
		t.Errorf("a question: got %s, want response_action clear", ack.Payload)
	}
	answer := responseTo(t, fake, click.ResponseURL)
	if !strings.Contains(answer.Param("text"), "Your question is Q1 for event 7") || answer.Param("response_type") != "ephemeral" {
		t.Errorf("the answer: got %s", answer.JSON)
	}
	got := core.snapshot()
	want := question{bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "U2"}, 7, "Mogen consortia inschrijven?"}
	if len(got.questions) != 1 || got.questions[0] != want {
		t.Errorf("questions: got %+v, want [%+v]", got.questions, want)
	}
	if len(got.actions) != 0 {
		t.Errorf("the Ask button went to the core as an action: %+v", got.actions)
	}
}

func TestAskButtonExplainsWhenNoModalOpens(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	fake.Fail("views.open", "expired_trigger_id", 1)
	ask := bot.Action{Kind: bot.ActionAsk, EventID: 7}
	click := fake.Click(fakeslack.Click{User: "U2", Channel: "D2", MessageTS: "1.1", ActionID: ask.String(), Value: ask.String(), Text: "Ask a question"})
	deliver(t, fake, click)
	if got := responseTo(t, fake, click.ResponseURL).Param("text"); got != "clicked ask" {
		t.Errorf("answer: got %q, want the core's answer to the button", got)
	}
}
