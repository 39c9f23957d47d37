package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestLanguagePerPerson checks that each person is spoken to in their own
// language: the one they chose, else the one their chat reports, else the
// workspace's default; and that their alerts, written later, are too.
func TestLanguagePerPerson(t *testing.T) {
	carol := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "carol"}
	h := newHarness(t)
	h.poll()

	if got := h.say(alice, "language nl"); got.Text != "Vanaf nu spreek ik Nederlands met je." || got.Language != text.Dutch {
		t.Errorf("language nl: %q in %q", got.Text, got.Language)
	}
	if got := h.say(alice, "frobnicate"); !strings.HasPrefix(got.Text, "Het commando") || got.Language != text.Dutch {
		t.Errorf("after choosing Dutch: %q in %q", got.Text, got.Language)
	}
	if got := h.say(alice, "subscribe regio:NL213 cpv:4"); !strings.Contains(got.Text, "een CPV-code heeft 2 tot 8 cijfers") {
		t.Errorf("a query error for a Dutch reader: %q", got.Text)
	}
	// bob's chat says he reads Dutch; he never chose.
	if got := h.bot.Handle(h.ctx, bot.Command{From: bob, Text: "frobnicate", Locale: "nl-NL"}); got.Language != text.Dutch {
		t.Errorf("bob's chat reports nl-NL: answered in %q: %q", got.Language, got.Text)
	}
	if got := h.say(carol, "language"); got.Language != text.English || !strings.Contains(got.Text, "I speak English here") {
		t.Errorf("carol, who chose nothing: %q in %q", got.Text, got.Language)
	}
	if got := h.say(carol, "language de"); !strings.Contains(got.Text, "`language nl`") {
		t.Errorf("a language the bot does not speak: %q", got.Text)
	}

	for _, who := range []bot.Subscriber{alice, bob, carol} {
		h.say(who, "subscribe cpv:45")
	}
	h.poll(sporthal)
	h.deliver()
	alerts := map[string]bot.Message{}
	for _, sent := range h.chat.Sent() {
		if len(sent.Message.Cards) == 1 && strings.Contains(sent.Message.Text, "cpv:45") {
			alerts[sent.To.User] = sent.Message
		}
	}
	for user, want := range map[string]string{"alice": "Nieuwe aanbesteding voor je profiel", "bob": "Nieuwe aanbesteding voor je profiel", "carol": "New tender for your profile"} {
		if m := alerts[user]; !strings.HasPrefix(m.Text, want) {
			t.Errorf("%s's alert: %q (%q), want it to start %q", user, m.Text, m.Language, want)
		}
	}
	p := text.For(alerts["alice"].Language)
	fields := alerts["alice"].Cards[0].Fields(p, bot.LocalTime(p, time.UTC))
	if fields[0].Label != "Opdrachtgever" {
		t.Errorf("alice's card is labelled %+v", fields)
	}
}

// TestLanguageFor checks the language an adapter speaks in its own words:
// the person's choice over what their chat reports, the chat's locale for
// someone who chose nothing, and the workspace's default without either.
func TestLanguageFor(t *testing.T) {
	dave := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "dave"}
	h := newHarness(t)
	h.say(alice, "language nl")
	for _, tc := range []struct {
		name   string
		who    bot.Subscriber
		locale string
		want   text.Language
	}{
		{"chose Dutch, chat in English", alice, "en-US", text.Dutch},
		{"chose nothing, chat in Dutch", dave, "nl-NL", text.Dutch},
		{"chose nothing, chat in English", dave, "en-GB", text.English},
		{"chose nothing, chat says nothing", dave, "", text.English},
		{"no one the store could know", bot.Subscriber{}, "nl-NL", text.Dutch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.bot.LanguageFor(h.ctx, tc.who, tc.locale); got != tc.want {
				t.Errorf("LanguageFor(%s, %q) = %q, want %q", tc.who.Key(), tc.locale, got, tc.want)
			}
		})
	}
}
