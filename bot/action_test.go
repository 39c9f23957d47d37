package bot_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// alertAction returns the action of the given kind on the only alert sent.
func alertAction(t *testing.T, h *harness, kind bot.ActionKind) bot.Action {
	t.Helper()
	sent := h.chat.Sent()
	if len(sent) != 1 || len(sent[0].Message.Cards) != 1 {
		t.Fatalf("want one alert with one card, got %d messages", len(sent))
	}
	for _, a := range sent[0].Message.Cards[0].Actions {
		if a.Kind == kind {
			parsed, err := bot.ParseAction(a.String())
			if err != nil || parsed != a {
				t.Fatalf("ParseAction(%q): got %+v, %v; want %+v", a.String(), parsed, err, a)
			}
			return a
		}
	}
	t.Fatalf("the alert offers no %s button", kind)
	return bot.Action{}
}

func TestMuteBuyerStopsItsAlertsForThatProfile(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.poll(sporthal)
	h.deliver()
	mute := alertAction(t, h, bot.ActionMuteBuyer)

	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: bob, Action: mute}); !strings.Contains(reply.Text, "not yours") {
		t.Errorf("bob muting alice's profile: got %q, want a refusal", reply.Text)
	}
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: mute}); !strings.Contains(reply.Text, "Muted Gemeente Almelo") {
		t.Fatalf("mute: got %q", reply.Text)
	}
	another := notice("n-almelo-2", "Onderhoud gemeentelijke gebouwen", "45453000", "NL213", h.clock.Now())
	other := notice("n-enschede", "Renovatie zwembad", "45212212", "NL213", h.clock.Now())
	other.Buyer = "Gemeente Enschede"
	h.poll(another, other)
	h.deliver()
	if got := strings.Join(cardIDs(sentMessages(h.chat.Sent())...), ","); got != "n-sporthal,n-enschede" {
		t.Errorf("alerts after muting Almelo: got %s, want n-sporthal,n-enschede", got)
	}
}

func TestFollowAndHome(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.poll(sporthal)
	h.deliver()
	follow := alertAction(t, h, bot.ActionFollow)

	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: follow}); !strings.Contains(reply.Text, "You follow") {
		t.Fatalf("follow: got %q", reply.Text)
	}
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: follow}); !strings.Contains(reply.Text, "already follow") {
		t.Errorf("second follow: got %q", reply.Text)
	}
	home := h.bot.Home(h.ctx, alice)
	if !strings.Contains(home.Text, "1. cpv:45") || !strings.Contains(home.Text, "You follow 1 tender") {
		t.Errorf("home text: %q", home.Text)
	}
	if got := strings.Join(cardIDs(home), ","); got != "n-sporthal" {
		t.Errorf("home cards: got %s, want n-sporthal", got)
	}
	// The console's command form does the same by ref.
	if reply := h.say(bob, "follow "+follow.NoticeRef); !strings.Contains(reply.Text, "You follow") {
		t.Errorf("follow command: got %q", reply.Text)
	}
	if reply := h.say(bob, "follow nonsense"); !strings.Contains(reply.Text, "not a notice ref") {
		t.Errorf("follow with a bad ref: got %q", reply.Text)
	}
}

func TestManyNotRelevantMarksOfferANarrowerQuery(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	for i := range 3 {
		h.poll(notice(fmt.Sprintf("n-%d", i), fmt.Sprintf("Asbestsanering gebouw %d", i), "45000000", "NL213", h.clock.Now()))
	}
	h.deliver()
	var reply bot.Message
	for _, s := range h.chat.Sent() {
		for _, a := range s.Message.Cards[0].Actions {
			if a.Kind == bot.ActionNotRelevant {
				reply = h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: a})
			}
		}
	}
	if !strings.Contains(reply.Text, "3 notices marked not relevant") || !strings.Contains(reply.Text, "`cpv:45 kind:early,tender -asbestsanering`") {
		t.Errorf("after three marks: %q, want a narrower query excluding the shared word", reply.Text)
	}
}

func TestNotRelevantIsRecorded(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.poll(sporthal)
	h.deliver()
	mark := alertAction(t, h, bot.ActionNotRelevant)
	reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: mark})
	if !strings.Contains(reply.Text, "not relevant") || !strings.Contains(reply.Text, "cpv:45") {
		t.Errorf("not relevant: got %q", reply.Text)
	}
	if why := h.say(alice, "why "+mark.NoticeRef); !strings.Contains(why.Text, "you marked it not relevant for this profile") {
		t.Errorf("why does not show the feedback: %q", why.Text)
	}
}

func TestParseActionRefusesForeignIDs(t *testing.T) {
	for _, s := range []string{"", "follow", "tb1:follow:1", "tb1:explode:1:0123456789abcdef", "tb1:follow:x:0123456789abcdef", "tb1:follow:1:XYZ", "tb1:follow:-1:0123456789abcdef"} {
		if a, err := bot.ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) = %+v, want an error", s, a)
		}
	}
}

func FuzzParseAction(f *testing.F) {
	f.Add("tb1:follow:12:0123456789abcdef")
	f.Add("tb1:mute_buyer:0:ffffffffffffffff")
	f.Add("::::")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := bot.ParseAction(s)
		if err != nil {
			return
		}
		if len(a.String()) > 64 {
			t.Errorf("%q encodes to %d characters, over 64", s, len(a.String()))
		}
		if again, err := bot.ParseAction(a.String()); err != nil || again != a {
			t.Errorf("round trip of %q: got %+v, %v", s, again, err)
		}
	})
}

func TestChannelProfiles(t *testing.T) {
	h := newHarness(t)
	h.poll()
	inChannel := func(text string) bot.Message {
		return h.bot.Handle(h.ctx, bot.Command{From: alice, Channel: "C-bouw", Text: text})
	}
	if reply := inChannel("subscribe here cpv:45"); !strings.Contains(reply.Text, "Saved profile 1") {
		t.Fatalf("subscribe here: %q", reply.Text)
	}
	if reply := inChannel("profiles here"); !strings.Contains(reply.Text, "1. cpv:45") {
		t.Errorf("profiles here: %q", reply.Text)
	}
	if reply := inChannel("profiles"); !strings.Contains(reply.Text, "no profiles yet") {
		t.Errorf("alice's own profiles: %q", reply.Text)
	}
	if reply := h.say(alice, "subscribe here cpv:45"); !strings.Contains(reply.Text, "channel you type it in") {
		t.Errorf("here outside a channel: %q", reply.Text)
	}
	h.poll(sporthal)
	h.deliver()
	sent := h.chat.Sent()
	if len(sent) != 1 || sent[0].To.Channel != "C-bouw" || sent[0].To.User != "" {
		t.Fatalf("the channel profile's alert: got %+v, want one to channel C-bouw", sent)
	}
	// Its maker may use the alert's buttons (who else may:
	// TestChannelAlertsButtonsAndQuietHoursFollowTheSameRights).
	mute := alertAction(t, h, bot.ActionMuteBuyer)
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: mute}); !strings.Contains(reply.Text, "Muted") {
		t.Errorf("alice muting the channel profile's buyer: %q", reply.Text)
	}
	if reply := inChannel("unsubscribe here 1"); !strings.Contains(reply.Text, "Deleted") {
		t.Errorf("unsubscribe here: %q", reply.Text)
	}
}

func TestProfileForm(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal, zonne, cumbria)
	form := bot.ProfileForm{Name: "Bouw Twente", Words: "renovatie", CPV: []string{" 45000000 Construction work", ""}, Regions: []string{"NL21"}}
	if got, want := form.Query(), "renovatie cpv:45000000 nuts:NL21"; got != want {
		t.Errorf("Query: got %q, want %q", got, want)
	}
	full := bot.ProfileForm{CPV: []string{"45"}, ValueMin: "50k", ValueMax: "2m", Kinds: []bot.Kind{bot.KindEarly, bot.KindTender}}
	if got, want := full.Query(), "cpv:45 value:50k..2m kind:early,tender"; got != want {
		t.Errorf("Query: got %q, want %q", got, want)
	}
	preview, err := h.bot.PreviewForm(h.ctx, alice, form)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(preview.Text, "`renovatie cpv:45 nuts:NL21 kind:early,tender`") || strings.Join(cardIDs(preview), ",") != "n-sporthal" {
		t.Errorf("preview: %q with cards %v", preview.Text, cardIDs(preview))
	}
	if profiles, _ := h.store.ListProfiles(h.ctx, alice); len(profiles) != 0 {
		t.Errorf("a preview saved %d profiles", len(profiles))
	}
	if _, err := h.bot.PreviewForm(h.ctx, alice, bot.ProfileForm{}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("empty form: got %v, want EINVALID", err)
	}
	if reply := h.bot.SubscribeForm(h.ctx, alice, "", form); !strings.Contains(reply.Text, `"Bouw Twente"`) {
		t.Errorf("subscribe form: %q", reply.Text)
	}
	if reply := h.bot.SubscribeForm(h.ctx, alice, "C-bouw", bot.ProfileForm{Words: "zonnepanelen", Delivery: bot.DeliverWeekly}); !strings.Contains(reply.Text, "Saved profile 1") || !strings.Contains(reply.Text, "weekly digest") {
		t.Errorf("subscribe form for a channel, weekly: %q", reply.Text)
	}
	fieldTests := []struct {
		form  bot.ProfileForm
		field string
	}{
		{bot.ProfileForm{Words: "renovatie", CPV: []string{"4x"}}, bot.FieldCPV},
		{bot.ProfileForm{Words: "(renovatie"}, bot.FieldWords},
		{bot.ProfileForm{Regions: []string{"N!"}}, bot.FieldRegions},
		{bot.ProfileForm{Words: "a", Delivery: "hourly"}, bot.FieldDelivery},
	}
	for _, tt := range fieldTests {
		_, err := h.bot.PreviewForm(h.ctx, alice, tt.form)
		var e *bot.Error
		if !errors.As(err, &e) || e.Field != tt.field {
			t.Errorf("PreviewForm(%+v): got %v, want an error on field %q", tt.form, err, tt.field)
		}
	}
}
