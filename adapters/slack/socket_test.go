package slack

import (
	"html"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
)

func TestSlashCommandGoesToTheCoreAndIsAnsweredEphemerally(t *testing.T) {
	tests := []struct {
		name, channel, wantChannel string
	}{
		{"in a channel", "C0CHAN", "C0CHAN"},
		{"in a direct message", "D0DM", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core := &stubCore{}
			fake, _ := startSocketApp(t, core)
			r := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: tt.channel, Text: "subscribe cpv:45 &amp; nuts:NL21"})
			if ack := deliver(t, fake, r); ack.Payload != nil {
				t.Errorf("ack payload: got %s, want none (the answer follows by response_url)", ack.Payload)
			}
			answer := responseTo(t, fake, r.ResponseURL)
			if got := answer.Param("response_type"); got != "ephemeral" {
				t.Errorf("response_type: got %q, want ephemeral", got)
			}
			if got := html.UnescapeString(answer.Param("text")); !strings.Contains(got, "you said subscribe cpv:45 & nuts:NL21") {
				t.Errorf("answer text: got %q", got)
			}
			got := core.snapshot().commands
			want := bot.Command{
				From:    bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "U1"},
				Channel: tt.wantChannel,
				Text:    "subscribe cpv:45 & nuts:NL21",
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Errorf("commands: got %+v, want [%+v]", got, want)
			}
		})
	}
}

func TestProfileFormFromSuggestionsToSave(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	slash := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "subscribe here"})
	deliver(t, fake, slash)
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	form, _ := fake.TopView("U1")
	if form.CallbackID != formCallback || !strings.Contains(form.PrivateMetadata, `"c":"C0CHAN"`) {
		t.Fatalf("the form: got callback %q metadata %q", form.CallbackID, form.PrivateMetadata)
	}

	suggest, err := fake.Suggestion("U1", inputCPV, inputCPV, "bou")
	if err != nil {
		t.Fatal(err)
	}
	ack := deliver(t, fake, suggest)
	if !strings.Contains(string(ack.Payload), `"value":"45000000"`) || !strings.Contains(string(ack.Payload), "Bouwwerkzaamheden") {
		t.Errorf("suggestions: got %s, want 45000000 with its label", ack.Payload)
	}
	typed, _ := fake.Suggestion("U1", inputNUTS, inputNUTS, "nl21")
	if ack := deliver(t, fake, typed); !strings.Contains(string(ack.Payload), `"value":"NL21"`) {
		t.Errorf("a code typed in full with nothing to suggest: got %s, want NL21 offered as typed", ack.Payload)
	}

	submit, err := fake.ViewSubmission("U1", fakeslack.Values{
		bot.FieldName:     {bot.FieldName: fakeslack.Text("Sporthallen")},
		bot.FieldWords:    {bot.FieldWords: fakeslack.Text("renovatie sporthal")},
		bot.FieldCPV:      {bot.FieldCPV: fakeslack.Selected("multi_external_select", "45000000")},
		bot.FieldRegions:  {bot.FieldRegions: fakeslack.Selected("multi_external_select", "NL21")},
		bot.FieldValue:    {bot.FieldValue: fakeslack.Text("50k..")},
		bot.FieldKinds:    {bot.FieldKinds: fakeslack.Selected("checkboxes", "tender")},
		bot.FieldDelivery: {bot.FieldDelivery: fakeslack.Chosen("radio_buttons", "instant")},
	})
	if err != nil {
		t.Fatal(err)
	}
	ack = deliver(t, fake, submit)
	if got := ackField(t, ack, "response_action"); got != "push" {
		t.Fatalf("the form's submission: got response_action %q (%s), want push", got, ack.Payload)
	}
	preview, _ := fake.TopView("U1")
	wantQuery := "renovatie sporthal cpv:45000000 nuts:NL21 value:>=50k kind:tender"
	if preview.CallbackID != previewCallback || !strings.Contains(texts(t, preview.JSON), mrkdwn(wantQuery)) {
		t.Fatalf("the preview: got %s, want the query %q", preview.JSON, wantQuery)
	}
	if strings.Contains(string(preview.JSON), `"type":"actions"`) {
		t.Errorf("the preview shows card buttons; it must not:\n%s", preview.JSON)
	}

	save, _ := fake.ViewSubmission("U1", nil)
	if ack := deliver(t, fake, save); ackField(t, ack, "response_action") != "clear" {
		t.Errorf("saving: got %s, want response_action clear", ack.Payload)
	}
	if stack := fake.ViewStack("U1"); len(stack) != 0 {
		t.Errorf("modals still open after saving: %d", len(stack))
	}
	answer := responseTo(t, fake, slash.ResponseURL)
	if !strings.Contains(html.UnescapeString(answer.Param("text")), "Saved "+wantQuery) { // Slack reads &gt; as >
		t.Errorf("confirmation: got %q", answer.Param("text"))
	}
	saved := core.snapshot().saved
	if len(saved) != 1 || saved[0].channel != "C0CHAN" || saved[0].form.Name != "Sporthallen" || saved[0].form.Delivery != bot.DeliverInstant {
		t.Errorf("saved: got %+v, want the form for channel C0CHAN", saved)
	}
}

func TestProfileFormShowsTheCoresErrorUnderAnInput(t *testing.T) {
	core := &stubCore{previewErr: bot.Errorf(bot.EINVALID, "Fill in at least what you sell, a CPV code or a region.")}
	fake, _ := startSocketApp(t, core)
	deliver(t, fake, fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "subscribe"}))
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	submit, _ := fake.ViewSubmission("U1", fakeslack.Values{})
	ack := deliver(t, fake, submit)
	if ackField(t, ack, "response_action") != "errors" || !strings.Contains(string(ack.Payload), `"words":"Fill in at least`) {
		t.Errorf("got %s, want response_action errors with the core's message under words", ack.Payload)
	}
	if v, _ := fake.TopView("U1"); v.CallbackID != formCallback {
		t.Errorf("the form should stay open; top view is %q", v.CallbackID)
	}
}

func TestCardButtonGoesToTheCore(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	action := testCard().Actions[2]
	click := fake.Click(fakeslack.Click{User: "U1", Channel: "D1", MessageTS: "1.1", ActionID: action.String(), Value: action.String(), Text: "Mute buyer"})
	deliver(t, fake, click)
	answer := responseTo(t, fake, click.ResponseURL)
	if answer.Param("text") != "clicked mute_buyer" || answer.Param("response_type") != "ephemeral" || answer.Param("replace_original") != "false" {
		t.Errorf("answer: got %s", answer.JSON)
	}
	if got := core.snapshot().actions; len(got) != 1 || got[0] != action {
		t.Errorf("actions: got %+v, want [%+v]", got, action)
	}

	link := fake.Click(fakeslack.Click{User: "U1", Channel: "D1", MessageTS: "1.1", ActionID: openNoticeAction, URL: "https://example.org"})
	deliver(t, fake, link)
	damaged := fake.Click(fakeslack.Click{User: "U1", Channel: "D1", MessageTS: "1.1", ActionID: "tb1:follow:x"})
	deliver(t, fake, damaged)
	if got := responseTo(t, fake, damaged.ResponseURL).Param("text"); !strings.Contains(got, "button") {
		t.Errorf("a damaged button: got %q, want the core's explanation", got)
	}
	if n := len(fake.Calls("response_url")); n != 2 {
		t.Errorf("response_url posts: got %d, want 2 (none for the link button)", n)
	}
}

func TestAppHomeIsPublishedOncePerEvent(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	open := fake.AppHomeOpened("U1")
	deliver(t, fake, open)
	publish, err := fake.WaitCall(testContext(t), "views.publish", nil)
	if err != nil {
		t.Fatal(err)
	}
	if publish.Param("user_id") != "U1" || !strings.Contains(publish.Param("view"), "Home of U1") || !strings.Contains(publish.Param("view"), openFormAction) {
		t.Errorf("views.publish: got %s", publish.JSON)
	}
	again := *open
	again.RetryAttempt, again.RetryReason = 1, "timeout"
	deliver(t, fake, &again)
	deliver(t, fake, fake.AppHomeOpened("U2"))
	if _, err := fake.WaitCall(testContext(t), "views.publish", func(c fakeslack.Call) bool { return c.Param("user_id") == "U2" }); err != nil {
		t.Fatal(err)
	}
	if n := len(core.snapshot().homes); n != 2 {
		t.Errorf("homes built: got %d, want 2 (the redelivered event is not handled again)", n)
	}
}

func TestDirectMessagesAreCommands(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	deliver(t, fake, fake.DirectMessage("U1", "profiles"))
	reply, err := fake.WaitCall(testContext(t), "chat.postMessage", nil)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Param("channel") != fakeslack.DMChannel("U1") || !strings.Contains(reply.Param("text"), "you said profiles") {
		t.Errorf("reply: got channel %q text %q", reply.Param("channel"), reply.Param("text"))
	}
	if got := core.snapshot().commands; len(got) != 1 || got[0].Channel != "" || got[0].Text != "profiles" {
		t.Errorf("commands: got %+v", got)
	}

	deliver(t, fake, fake.DirectMessage("U1", "subscribe"))
	invite, err := fake.WaitCall(testContext(t), "chat.postMessage", func(c fakeslack.Call) bool { return strings.Contains(c.Param("blocks"), openFormAction) })
	if err != nil {
		t.Fatal(err)
	}
	click := fake.Click(fakeslack.Click{User: "U1", Channel: invite.Param("channel"), MessageTS: invite.TS, ActionID: openFormAction})
	deliver(t, fake, click)
	if _, err := fake.WaitCall(testContext(t), "views.open", fakeslack.Call.OK); err != nil {
		t.Fatal(err)
	}
	if n := len(core.snapshot().commands); n != 1 {
		t.Errorf("\"subscribe\" alone went to the core as a command (%d commands); it opens the form", n)
	}
}

func TestReconnectsAfterDisconnect(t *testing.T) {
	fake, app := startSocketApp(t, &stubCore{})
	fake.Disconnect("refresh_requested")
	opened := func() int { return len(fake.Calls("apps.connections.open")) }
	waitUntil(t, "the app reconnects after a disconnect message", func() bool { return opened() >= 2 && fake.Connections() > 0 && app.Connected() })
	fake.DropConnections()
	waitUntil(t, "the app notices the dropped connection", func() bool { return !app.Connected() || opened() >= 3 })
	waitUntil(t, "the app reconnects after a dropped connection", func() bool { return opened() >= 3 && app.Connected() })
}

func TestAFileInAnAnswerGoesToTheDirectMessage(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "my data"})
	deliver(t, fake, cmd)
	answer := responseTo(t, fake, cmd.ResponseURL)
	shown := texts(t, []byte(answer.Param("blocks")))
	if !strings.Contains(shown, "tenderbot-my-data.json is in your direct message") {
		t.Errorf("the answer does not say where the file went:\n%s", shown)
	}
	files := fake.Files()
	if len(files) != 1 || files[0].Channel != fakeslack.DMChannel("U1") || string(files[0].Data) != `{"profiles":[]}` || files[0].Name != "tenderbot-my-data.json" {
		t.Errorf("files: got %+v, want the export shared in U1's DM", files)
	}

	// The message's own button (erase my data) goes to the core too.
	erase := buttonIn(t, answer.Param("blocks"), "tb1:forget_me:")
	click := fake.Click(fakeslack.Click{User: "U1", Channel: "C0CHAN", MessageTS: "1.2", ActionID: erase, Value: erase})
	deliver(t, fake, click)
	responseTo(t, fake, click.ResponseURL)
	if got := core.snapshot().actions; len(got) != 1 || got[0].Kind != bot.ActionForget {
		t.Errorf("actions: got %+v, want the forget button", got)
	}
}

func TestARateLimitedAnswerIsTriedAgain(t *testing.T) {
	fake, _ := startSocketApp(t, &stubCore{})
	fake.RateLimit("response_url", 1, time.Second)
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "help"})
	deliver(t, fake, cmd)
	if _, err := fake.WaitCall(testContext(t), "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL && c.OK() }); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("response_url")); n != 2 {
		t.Errorf("posts to the response_url: got %d, want 2 (429, then the answer)", n)
	}
}

// TestMentionsAreLookedUp: with should_escape on, /tender brings mentions
// as <@U…|name>; the adapter asks users.info who each names and carries the
// answer to the core, which decides. A plain "@name" or an unknown id names
// nobody.
func TestMentionsAreLookedUp(t *testing.T) {
	core := &stubCore{}
	fake, _ := startSocketApp(t, core)
	fake.AddUser("U0DAVE", "dave")
	r := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "role grant &lt;@U0DAVE|dave&gt; @ghost &lt;@U0NOBODY|nobody&gt; partner"})
	deliver(t, fake, r)
	responseTo(t, fake, r.ResponseURL)
	got := core.snapshot().commands
	if len(got) != 1 || got[0].Mentions == nil {
		t.Fatalf("commands: got %+v, want one with its mentions looked up", got)
	}
	want := bot.Mentions{"<@U0DAVE|dave>": "U0DAVE", "@ghost": "", "<@U0NOBODY|nobody>": ""}
	if m := *got[0].Mentions; len(m) != len(want) || m["<@U0DAVE|dave>"] != "U0DAVE" || m["@ghost"] != "" || m["<@U0NOBODY|nobody>"] != "" {
		t.Errorf("mentions: got %v, want %v", m, want)
	}
	// Besides the sender's own, asked once for the language of the reply.
	var mentioned int
	for _, c := range fake.Calls("users.info") {
		if c.Param("user") != "U1" {
			mentioned++
		}
	}
	if mentioned != 2 {
		t.Errorf("users.info calls: got %d, want one per id (2)", mentioned)
	}
}

// TestEscapedLinksArePlain: with should_escape on, Slack wraps a URL in
// angle brackets; the core gets it as typed.
func TestEscapedLinksArePlain(t *testing.T) {
	for in, want := range map[string]string{
		"feed add &lt;https://desk.example.nl/rss&gt; Desk":                     "feed add https://desk.example.nl/rss Desk",
		"feed add &lt;https://desk.example.nl/rss|desk.example.nl/rss&gt; Desk": "feed add https://desk.example.nl/rss Desk",
		"role grant &lt;@U0DAVE|dave&gt; partner":                               "role grant <@U0DAVE|dave> partner",
		"subscribe cpv:45 &amp; nuts:NL21":                                      "subscribe cpv:45 & nuts:NL21",
	} {
		if got := commandText(in); got != want {
			t.Errorf("commandText(%q) = %q, want %q", in, got, want)
		}
	}
}
