package discord

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestEventModalsFitDiscord checks the event form and the question modal
// against Discord's limits, and that the form asks for every required
// field in at most five inputs.
func TestEventModalsFitDiscord(t *testing.T) {
	filled := pendingForm{values: map[string]string{"title": strings.Repeat("t", 200), "start": "2027-02-10T14:00+01:00"}}
	id := strings.Repeat("f", 24) // as forms.open makes them
	for name, resp := range map[string]*discordgo.InteractionResponse{
		"event form":        eventModal(text.Printer{}, id, pendingForm{}),
		"event form filled": eventModal(text.Printer{}, id, filled),
		"question":          askModal(text.Printer{}, math.MaxInt64),
	} {
		body, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		if err := fakediscord.ValidateResponse(discordgo.InteractionApplicationCommand, body); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if n := utf8.RuneCountInString(resp.Data.Title); n > 45 || len(resp.Data.CustomID) > 100 {
			t.Errorf("%s: title %q or custom_id %q too long", name, resp.Data.Title, resp.Data.CustomID)
		}
		for _, in := range fakediscord.TextInputs(resp.Data.Components) {
			if utf8.RuneCountInString(in.Label) > 45 || utf8.RuneCountInString(in.Placeholder) > 100 || len(in.CustomID) > 100 {
				t.Errorf("%s: input %+v beyond Discord's limits", name, in)
			}
		}
	}

	form := eventModal(text.Printer{}, id, filled)
	inputs := fakediscord.TextInputs(form.Data.Components)
	if len(inputs) > 5 {
		t.Fatalf("the event form holds %d inputs; Discord takes 5", len(inputs))
	}
	byKey := map[string]*discordgo.TextInput{}
	for _, in := range inputs {
		byKey[in.CustomID] = in
	}
	for _, f := range engage.EventFormFields() {
		in, ok := byKey[f.Key]
		if !ok {
			if f.Required {
				t.Errorf("the form does not ask for the required %s", f.Key)
			}
			continue
		}
		if in.Required != f.Required || !strings.HasPrefix(f.Label, strings.TrimSuffix(in.Label, "…")) || !strings.HasPrefix(f.Hint, strings.TrimSuffix(in.Placeholder, "…")) {
			t.Errorf("%s: got %+v, want label %q, placeholder %q, required %v", f.Key, in, f.Label, f.Hint, f.Required)
		}
		if in.Value != filled.values[f.Key] {
			t.Errorf("%s: value %q, want what was typed, %q", f.Key, in.Value, filled.values[f.Key])
		}
	}
	if step, got, ok := parseFormID(form.Data.CustomID); !ok || step != stepEvent || got != id {
		t.Errorf("the form's custom id %q does not carry the form", form.Data.CustomID)
	}
	if step, got, ok := parseFormID(askModal(text.Printer{}, 42).Data.CustomID); !ok || step != stepAsk || got != "42" {
		t.Errorf("the question modal's custom id does not carry the event: %s %s", step, got)
	}
}

func TestWantsEventForm(t *testing.T) {
	for do, want := range map[string]bool{"new": true, " NEW ": true, "new title=Zon": false, "": false, "publish 1": false, "newer": false} {
		inv, err := parseInvocation(fakediscord.Command(fakediscord.Origin{User: "U1"}, "tender",
			fakediscord.Subcommand("event", fakediscord.String("do", do))).ApplicationCommandData())
		if err != nil {
			t.Fatal(err)
		}
		if got := inv.wantsEventForm(); got != want {
			t.Errorf("/tender event do:%q: wantsEventForm %v, want %v", do, got, want)
		}
	}
	inv, _ := parseInvocation(fakediscord.Command(fakediscord.Origin{User: "U1"}, "tender", fakediscord.Subcommand("subscribe")).ApplicationCommandData())
	if inv.wantsEventForm() {
		t.Error("subscribe wants the event form")
	}
}

func TestWithOtherFieldsSaysHowToAddThem(t *testing.T) {
	draft := bot.Message{Text: "Draft saved as event 12.", Actions: []bot.Action{{Kind: bot.ActionPublish, EventID: 12}}}
	got := withOtherFields(draft, text.Printer{}).Text
	if !strings.HasPrefix(got, draft.Text) || !strings.Contains(got, "update 12 key=value") || !strings.Contains(got, "capacity") || strings.Contains(got, "title,") {
		t.Errorf("got %q, want the draft and how to add the fields the form had no room for", got)
	}
	refused := bot.Message{Text: "Only people with the staff role can post events."}
	if got := withOtherFields(refused, text.Printer{}); got.Text != refused.Text {
		t.Errorf("a refusal got %q; it is no draft", got.Text)
	}
}

// testEventForm walks the event form: the modal, a refusal naming the
// field with Edit to correct it, the corrected form saved as a draft; and
// someone the core refuses.
func testEventForm(t *testing.T, r running, o fakediscord.Origin) {
	ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(o, "tender", fakediscord.Subcommand("event", fakediscord.String("do", " New "))))
	if err != nil {
		t.Fatal(err)
	}
	modal, err := ex.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if modal.Type != discordgo.InteractionResponseModal || len(fakediscord.TextInputs(modal.Data.Components)) != 5 {
		t.Fatalf("got response %+v, want a modal of five inputs", modal)
	}

	typed := []fakediscord.Field{
		{ID: "title", Value: "Marktconsultatie zonnedaken"}, {ID: "kind", Value: "consultation"},
		{ID: "start", Value: "yesterday"}, {ID: "end", Value: "16:00"}, {ID: "place", Value: "Stadhuis Almelo"},
	}
	bad, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, modal.Data.CustomID, typed...))
	if err != nil {
		t.Fatal(err)
	}
	refusal, err := bad.WaitReply(testCtx(t), "**Start (with time zone)**: The start is in the past")
	if err != nil {
		t.Fatal(err)
	}
	if resp := bad.Responses()[0]; resp.Data == nil || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("the refusal is not for the person alone: %+v", resp)
	}
	if got := labels(refusal.Message); got != "Edit,Cancel" {
		t.Errorf("buttons under the refusal: got %s, want Edit,Cancel", got)
	}

	// Edit reopens the form with what was typed.
	edit, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, refusal.Message.ID, fakediscord.Buttons(refusal.Message.Components)[0].CustomID))
	if err != nil {
		t.Fatal(err)
	}
	reopened, err := edit.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	in := fakediscord.TextInputs(reopened.Data.Components)
	if reopened.Type != discordgo.InteractionResponseModal || in[0].Value != "Marktconsultatie zonnedaken" || in[2].Value != "yesterday" {
		t.Fatalf("edit: got %+v, want the form filled in", reopened)
	}
	typed[2].Value = "2027-02-10T14:00+01:00"
	good, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, reopened.Data.CustomID, typed...))
	if err != nil {
		t.Fatal(err)
	}
	draft, err := good.WaitReply(testCtx(t), "Draft saved as event 1")
	if err != nil {
		t.Fatal(err)
	}
	if text := fakediscord.Text(draft.Message); !strings.Contains(text, "update 1 key=value") {
		t.Errorf("the draft does not say how to add the other fields:\n%s", text)
	}
	if got := labels(draft.Message); got != "Publish" {
		t.Errorf("buttons under the draft: got %s, want Publish", got)
	}
	r.core.mu.Lock()
	events := append([]map[string]string(nil), r.core.events...)
	r.core.mu.Unlock()
	if len(events) != 1 || events[0]["start"] != "2027-02-10T14:00+01:00" || events[0]["place"] != "Stadhuis Almelo" {
		t.Errorf("forms submitted: %v", events)
	}

	// The form is gone once saved.
	again, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, refusal.Message.ID, fakediscord.Buttons(refusal.Message.Components)[0].CustomID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.WaitReply(testCtx(t), "expired"); err != nil {
		t.Fatal(err)
	}

	// Someone the core refuses gets its word, and nothing to edit.
	// Someone without the staff role gets no form, only the reason.
	supplierOrigin := fakediscord.Origin{Guild: o.Guild, Channel: o.Channel, User: supplier}
	ex, err = r.fake.Interact(testCtx(t), fakediscord.Command(supplierOrigin, "tender", fakediscord.Subcommand("event", fakediscord.String("do", "new"))))
	if err != nil {
		t.Fatal(err)
	}
	refusal2, err := ex.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if refusal2.Type == discordgo.InteractionResponseModal || refusal2.Data == nil || !strings.Contains(refusal2.Data.Content, "Only people with the staff role") {
		t.Errorf("a supplier asking for the event form: got %+v, want the refusal and no modal", refusal2)
	}
}

// testAskModal presses an event's Ask a question button and sends a
// question from its modal.
func testAskModal(t *testing.T, r running, o fakediscord.Origin) {
	ask := bot.Action{Kind: bot.ActionAsk, EventID: 7}
	click, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, "M7", ask.String()))
	if err != nil {
		t.Fatal(err)
	}
	modal, err := click.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	inputs := fakediscord.TextInputs(modal.Data.Components)
	if modal.Type != discordgo.InteractionResponseModal || len(inputs) != 1 || !inputs[0].Required {
		t.Fatalf("got %+v, want a modal with one required input", modal)
	}
	submit, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, modal.Data.CustomID, fakediscord.Field{ID: inputs[0].CustomID, Value: " Mogen consortia inschrijven? "}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := submit.WaitReply(testCtx(t), "Your question is Q1 for event 7."); err != nil {
		t.Fatal(err)
	}
	blank, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, modal.Data.CustomID, fakediscord.Field{ID: inputs[0].CustomID, Value: "  "}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blank.WaitReply(testCtx(t), "empty"); err != nil {
		t.Fatal(err)
	}
	r.core.mu.Lock()
	defer r.core.mu.Unlock()
	if want := "7: Mogen consortia inschrijven? by " + o.User; len(r.core.asked) != 1 || r.core.asked[0] != want {
		t.Errorf("questions: got %q, want [%q]", r.core.asked, want)
	}
	for _, a := range r.core.actions {
		if a.Kind == bot.ActionAsk {
			t.Errorf("the Ask button went to the core as an action")
		}
	}
}

// TestDutchDescriptionsFit: every Dutch description of /tender, its
// subcommands and their options fits Discord's 100 characters as
// translated, so none is cut off.
func TestDutchDescriptionsFit(t *testing.T) {
	nl := text.For(text.Dutch)
	check := func(what, english string) {
		t.Helper()
		if n := utf8.RuneCountInString(nl.Text(english)); n > maxDescription {
			t.Errorf("%s: %q has %d characters in Dutch; Discord takes %d", what, nl.Text(english), n, maxDescription)
		}
	}
	check("/tender", commandDescription)
	for _, c := range menuCommands(bot.Commands()) {
		check(c.Name, c.Brief)
		for _, o := range c.Options {
			check(c.Name+" "+o.Name, o.Description)
		}
	}
}

// TestDutchModalsFit checks the Dutch profile form, event form and
// question modal against Discord's limits: a title and labels of at most
// 45 characters, placeholders of at most 100.
func TestDutchModalsFit(t *testing.T) {
	nl := text.For(text.Dutch)
	id := strings.Repeat("f", 24)
	for name, resp := range map[string]*discordgo.InteractionResponse{
		"profile form":                 formModal(nl, id, pendingForm{}),
		"profile form for the channel": formModal(nl, id, pendingForm{channel: "C1"}),
		"event form":                   eventModal(nl, id, pendingForm{}),
		"question":                     askModal(nl, math.MaxInt64),
	} {
		if n := utf8.RuneCountInString(resp.Data.Title); n > 45 {
			t.Errorf("%s: the title %q has %d characters; Discord takes 45", name, resp.Data.Title, n)
		}
		for _, in := range fakediscord.TextInputs(resp.Data.Components) {
			if n := utf8.RuneCountInString(in.Label); n > 45 {
				t.Errorf("%s: the label %q has %d characters; Discord takes 45", name, in.Label, n)
			}
			if n := utf8.RuneCountInString(in.Placeholder); n > 100 {
				t.Errorf("%s: the placeholder %q has %d characters; Discord takes 100", name, in.Placeholder, n)
			}
		}
	}
}
