package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"

	"github.com/tenderbot/tenderbot/bot"
)

func TestReplayGuard(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }

	g := newReplayGuard(10*time.Minute, 3, clock)
	if !g.firstSeen("a") || g.firstSeen("a") {
		t.Fatal("a key must be new once and a replay after")
	}
	advance(9 * time.Minute)
	if g.firstSeen("a") {
		t.Error("a key seen 9 minutes ago (window 10) passed as new")
	}
	advance(2 * time.Minute)
	if !g.firstSeen("a") {
		t.Error("a key seen 11 minutes ago (window 10) is still remembered")
	}
	for _, k := range []string{"b", "c", "d", "e"} {
		g.firstSeen(k)
	}
	if n := g.size(); n != 3 {
		t.Errorf("remembered %d keys, want at most 3", n)
	}
	if g.firstSeen("e") {
		t.Error("the newest key was forgotten to make room")
	}
}

func TestFormRequest(t *testing.T) {
	tests := []struct {
		text       string
		form, here bool
	}{
		{"subscribe", true, false},
		{"  Subscribe ", true, false},
		{"subscribe here", true, true},
		{"subscribe HERE", true, true},
		{"subscribe cpv:45", false, false},
		{"subscribe here cpv:45", false, false},
		{"profiles", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if form, here := formRequest(tt.text); form != tt.form || here != tt.here {
			t.Errorf("formRequest(%q): got %v %v, want %v %v", tt.text, form, here, tt.form, tt.here)
		}
	}
}

func TestCommandChannelAndText(t *testing.T) {
	if got := commandChannel("D024BE91L", "directmessage"); got != "" {
		t.Errorf("a DM: got channel %q, want none", got)
	}
	if got := commandChannel("C2147483705", "general"); got != "C2147483705" {
		t.Errorf("a channel: got %q", got)
	}
	if got := commandText(" subscribe name=“Bouw” cpv:45 &lt;x&gt; &amp;amp; "); got != `subscribe name="Bouw" cpv:45 <x> &amp;` {
		t.Errorf("commandText: got %q", got)
	}
}

func TestLooksLikeCode(t *testing.T) {
	tests := []struct {
		input, typed string
		want         bool
	}{
		{inputCPV, "45", true},
		{inputCPV, "45210000-2", true},
		{inputCPV, "bouw", false},
		{inputCPV, "4", false},
		{inputNUTS, "NL21", true},
		{inputNUTS, "nl213", true},
		{inputNUTS, "21", false},
		{inputNUTS, "Twente", true}, // letters only could be a country code; the core decides
		{inputNUTS, "NL 2", false},
	}
	for _, tt := range tests {
		if got := looksLikeCode(tt.input, tt.typed); got != tt.want {
			t.Errorf("looksLikeCode(%s, %q): got %v, want %v", tt.input, tt.typed, got, tt.want)
		}
	}
}

func TestFormFromStateToleratesMissingInputs(t *testing.T) {
	if f := formFromState(nil); f.Query() != "" {
		t.Errorf("no state: got %+v", f)
	}
	state := &slackapi.ViewState{Values: map[string]map[string]slackapi.BlockAction{
		inputCPV:       {inputCPV: {SelectedOptions: []slackapi.OptionBlockObject{{Value: "45000000"}, {Value: ""}}}},
		bot.FieldKinds: {bot.FieldKinds: {SelectedOptions: []slackapi.OptionBlockObject{{Value: "early"}}}},
	}}
	f := formFromState(state)
	if len(f.CPV) != 1 || f.CPV[0] != "45000000" || len(f.Kinds) != 1 || f.Kinds[0] != bot.KindEarly || f.Delivery != "" {
		t.Errorf("got %+v", f)
	}
}

func TestDecodeMetaToleratesDamage(t *testing.T) {
	for _, s := range []string{"", "{", `{"f":7}`, `[]`} {
		if m := decodeMeta(s); m.Form != nil || m.Channel != "" {
			t.Errorf("decodeMeta(%q): got %+v, want nothing", s, m)
		}
	}
	m := formMeta{Channel: "C1", Form: &bot.ProfileForm{Words: "zon"}}
	if back := decodeMeta(m.encode()); back.Channel != "C1" || back.Form == nil || back.Form.Words != "zon" {
		t.Errorf("round trip: got %+v", back)
	}
}

// FuzzParseInteraction feeds arbitrary payloads through the parsing and the
// synchronous part of handling an interaction: nothing may panic, and every
// ack must be JSON Slack can read.
func FuzzParseInteraction(f *testing.F) {
	for _, seed := range []string{
		`{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"actions":[{"action_id":"tb1:follow:7:ec82049761edc9cd","type":"button"}],"response_url":"https://x"}`,
		`{"type":"block_actions","actions":[{"action_id":"tb_open_form","value":"C1"},{"action_id":"tb_open_notice"}]}`,
		`{"type":"block_suggestion","action_id":"cpv","value":"bou"}`,
		`{"type":"block_suggestion","action_id":"nuts","value":"NL2"}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"callback_id":"tb_profile_form","private_metadata":"{\"c\":\"C1\"}","state":{"values":{"words":{"words":{"type":"plain_text_input","value":"zon"}},"kinds":{"kinds":{"type":"checkboxes","selected_options":[{"value":"tender"}]}}}}}}`,
		`{"type":"view_submission","view":{"callback_id":"tb_profile_preview","private_metadata":"{\"f\":{\"Words\":\"zon\"}}"}}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"callback_id":"tb_event_form","private_metadata":"{\"r\":\"https://x\"}","state":{"values":{"title":{"title":{"type":"plain_text_input","value":"Zon"}},"start":{"start":{"type":"plain_text_input","value":"yesterday"}}}}}}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"callback_id":"tb_event_ask","private_metadata":"{\"e\":3}","state":{"values":{"question":{"question":{"type":"plain_text_input","value":"Mag het?"}}}}}}`,
		`{"type":"view_submission","view":{"callback_id":"tb_event_ask","private_metadata":"{\"e\":-1}"}}`,
		`{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"tb1:ask:3:event","type":"button"}]}`,
		`{"type":"view_closed"}`,
		`{"type":"block_actions","state":{"values":{"a":{"b":{"type":"x"}}}}}`,
		`{}`, `[]`, `null`, `{"type":7}`,
	} {
		f.Add([]byte(seed))
	}
	app := New(Options{BotToken: "xoxb-fuzz", APIURL: "http://127.0.0.1:1/"})
	core := &stubCore{}
	f.Fuzz(func(t *testing.T, payload []byte) {
		ic, err := parseInteraction(payload)
		if err != nil {
			return
		}
		h := app.handleInteraction(context.Background(), core, ic)
		if h.ack != nil {
			if _, err := json.Marshal(h.ack); err != nil {
				t.Fatalf("ack %#v does not marshal: %v", h.ack, err)
			}
		}
		_ = fmt.Sprint(formFromState(ic.View.State).Query())
	})
}

// size is how many keys are remembered.
func (g *replayGuard) size() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}

func TestSlashCommandsCarryWhetherThePersonManagesTheChannel(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{Admins: []string{"UADMIN"}, ChannelCreators: map[string]string{"C0CHAN": "UMAKER"}})
	t.Cleanup(fake.Close)
	core := &stubCore{}
	app := New(Options{BotToken: fake.Options().BotToken, SigningSecret: testSecret, APIURL: fake.APIURL(), Logger: testLogger(t)})
	srv := httptest.NewServer(app.HTTPHandler())
	t.Cleanup(srv.Close)
	runApp(t, app, core)
	waitUntil(t, "HTTP mode is connected", app.Connected)
	tests := []struct {
		user, text string
		want       bool
	}{
		{"U1", "unsubscribe here 1", false},
		{"UADMIN", "unsubscribe here 1", true},
		{"UMAKER", "digest here 1 daily", true},
		{"UADMIN", "profiles", false}, // not about the channel: nobody is asked
	}
	for i, tt := range tests {
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: tt.user, Channel: "C0CHAN", Text: tt.text})
		if got, _ := post(t, srv, CommandsPath, cmd, testSecret, time.Now()); got != http.StatusOK {
			t.Fatalf("%s: got %d", tt.text, got)
		}
		responseTo(t, fake, cmd.ResponseURL)
		got := core.snapshot().commands
		if len(got) != i+1 {
			t.Fatalf("commands: got %d, want %d", len(got), i+1)
		}
		if got[i].ChannelManager != tt.want {
			t.Errorf("%s from %s: ChannelManager %v, want %v", tt.text, tt.user, got[i].ChannelManager, tt.want)
		}
	}
	if n := len(fake.Calls("users.info")); n != 3 {
		t.Errorf("users.info calls: got %d, want 3 (none for a command about oneself)", n)
	}
}

// TestMutingABuyerInAChannelCarriesWhetherThePersonManagesIt: a Mute buyer
// click in a channel changes the channel's profile, so the core is told
// whether the clicker manages the channel; other clicks and clicks in a
// direct message ask Slack nothing.
func TestMutingABuyerInAChannelCarriesWhetherThePersonManagesIt(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{Admins: []string{"UADMIN"}})
	t.Cleanup(fake.Close)
	core := &stubCore{}
	app := New(Options{BotToken: fake.Options().BotToken, SigningSecret: testSecret, APIURL: fake.APIURL(), Logger: testLogger(t)})
	srv := httptest.NewServer(app.HTTPHandler())
	t.Cleanup(srv.Close)
	runApp(t, app, core)
	waitUntil(t, "HTTP mode is connected", app.Connected)
	card := testCard()
	action := func(kind bot.ActionKind) bot.Action {
		for _, a := range card.Actions {
			if a.Kind == kind {
				return a
			}
		}
		t.Fatalf("the card has no %s button", kind)
		return bot.Action{}
	}
	mute, follow := action(bot.ActionMuteBuyer), action(bot.ActionFollow)
	tests := []struct {
		user, channel string
		action        bot.Action
		want          bool
	}{
		{"U1", "C0CHAN", mute, false},
		{"UADMIN", "C0CHAN", mute, true},
		{"UADMIN", "C0CHAN", follow, false},
		{"UADMIN", "D0DM", mute, false},
	}
	for i, tt := range tests {
		click := fake.Click(fakeslack.Click{User: tt.user, Channel: tt.channel, MessageTS: "1.1", ActionID: tt.action.String(), Value: tt.action.String(), Text: "button"})
		if got, _ := post(t, srv, InteractivityPath, click, testSecret, time.Now()); got != http.StatusOK {
			t.Fatalf("click %d: got %d", i, got)
		}
		responseTo(t, fake, click.ResponseURL)
		got := core.snapshot().managers
		if len(got) != i+1 {
			t.Fatalf("clicks: got %d, want %d", len(got), i+1)
		}
		if got[i] != tt.want {
			t.Errorf("%s by %s in %s: ChannelManager %v, want %v", tt.action.Kind, tt.user, tt.channel, got[i], tt.want)
		}
	}
}

func TestUserGroupsInACommand(t *testing.T) {
	got := userGroups("subscribe here mention=<!subteam^S0TEAM|@team-tenders> <!subteam^S1> <!here> <@U1> cpv:45")
	if want := map[string]string{"<!subteam^S0TEAM|@team-tenders>": "S0TEAM", "<!subteam^S1>": "S1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := userGroups("search cpv:45"); got != nil {
		t.Errorf("no groups: got %v", got)
	}
}
