package bot_test

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestCommandsInDutch runs the commands for a person whose chat reports
// Dutch and checks that every reply speaks it, the command words and
// queries as typed; the same commands from someone else stay English.
func TestCommandsInDutch(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal, zonne, cumbria, ict)
	dutch := func(line string) bot.Message {
		t.Helper()
		return h.bot.Handle(h.ctx, bot.Command{From: alice, Text: line, Locale: "nl-NL"})
	}
	ref := bot.NoticeRef(sporthal.ID)
	tests := []struct {
		line string
		want []string
	}{
		{`subscribe name="Bouw Twente" cpv:45 nuts:NL21`, []string{`Profiel 1 opgeslagen, "Bouw Twente": ` + "`cpv:45 nuts:NL21 kind:early,tender`", "zodra ze binnenkomen", "Aankondigingen die ik al gelezen heb en die erbij passen: 1"}},
		{"subscribe", []string{"Vertel me waar je naar zoekt", "`subscribe cpv:45 nuts:NL21`"}},
		{"profiles", []string{"Je profielen (1):", "(direct, sinds 26 nov 2026)", "Verwijder er een met `unsubscribe <nummer>`."}},
		{"pause 1", []string{"staat stil", "`resume Bouw Twente`", "de bezorging (direct)"}},
		{"pause 1", []string{"staat al stil"}},
		{"resume 1", []string{"staat weer aan"}},
		{`rename 1 "Bouw Overijssel"`, []string{`Je profiel "Bouw Twente" heet nu "Bouw Overijssel".`}},
		{"edit 1 cpv:45 nuts:NL213", []string{"is nu `cpv:45 nuts:NL213 kind:early,tender`", "nieuwe aankondigingen die erbij passen, krijg je zodra ze binnenkomen"}},
		{"digest 1 weekly", []string{"stuurt zijn resultaten nu in één bericht elke zondag om 00:00"}},
		{"digest 1 hourly", []string{`"hourly" is geen manier van bezorgen`}},
		{"search dijkversterking", []string{"Geen van de 4 aankondigingen"}},
		{"search zonnepanelen", []string{"Aankondigingen die bij `zonnepanelen` passen: 1"}},
		{"why " + ref, []string{"wel of niet bij je profielen past", `1. "Bouw Overijssel" (` + "`cpv:45 nuts:NL213 kind:early,tender`) past:", "valt onder"}},
		{"follow " + ref, []string{`Je volgt "Renovatie sporthal De Sluis" nu`}},
		{"home", []string{"Je profielen (1):", "(wekelijks)", "Aanbestedingen die je volgt (1):"}},
		{"unfollow " + ref, []string{"Je volgt \"Renovatie sporthal De Sluis\" niet meer"}},
		{"not-relevant " + ref, []string{"Bedankt — genoteerd"}},
		{"quiet", []string{"Geen stille uren"}},
		{"quiet 22:00-07:00", []string{"Stille uren ingesteld op 22:00-07:00"}},
		{"quiet 25:00", []string{"Schrijf stille uren als `quiet 22:00-07:00`"}},
		{"deliveries failed", []string{"Er is geen bezorging mislukt."}},
		{"deliveries", []string{"Schrijf `deliveries failed`"}},
		{"help subscribe", []string{"`subscribe [here] [name=\"mijn naam\"] <zoekvraag>` — sla een profiel op"}},
		{"help", []string{"`pause [here] <profiel>`", "ask <nummer> <vraag>", "`help [commando]`"}},
		{"my data", []string{"Alles wat ik over je bewaar — profielen: 1"}},
		{"subscribe here cpv:45", []string{"`here` betekent het kanaal"}},
		{"unsubscribe 9", []string{`Je hebt geen profiel "9"`}},
		{"feeds", []string{"Feeds worden hier niet in de chat beheerd."}},
		{"role", []string{"Rollen worden hier niet in de chat toegekend"}},
		{"forget me", []string{"Dit wist voorgoed je profielen"}},
		{"forget me confirm", []string{"Klaar: ik heb alles gewist"}},
	}
	for _, tt := range tests {
		got := dutch(tt.line)
		if got.Language != text.Dutch {
			t.Errorf("%q: answered in %q: %q", tt.line, got.Language, got.Text)
		}
		for _, w := range tt.want {
			if !strings.Contains(got.Text, w) {
				t.Errorf("%q: got %q, want it to contain %q", tt.line, got.Text, w)
			}
		}
	}
	for line, want := range map[string]string{
		"profiles":               "You have no profiles yet.",
		"quiet":                  "No quiet hours",
		"search dijkversterking": "None of the 4 notices",
	} {
		if got := h.say(bob, line); !strings.Contains(got.Text, want) || got.Language != text.English {
			t.Errorf("bob's %q: got %q in %q, want English with %q", line, got.Text, got.Language, want)
		}
	}
}

// TestButtonsAnswerInThePressersLanguage checks that a button's answer,
// and its refusal, are in the language of whoever pressed it.
func TestButtonsAnswerInThePressersLanguage(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal)
	h.say(alice, "language nl")
	follow := bot.Action{Kind: bot.ActionFollow, NoticeRef: bot.NoticeRef(sporthal.ID)}
	if got := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: follow}); !strings.HasPrefix(got.Text, "Je volgt") || got.Language != text.Dutch {
		t.Errorf("alice's follow: %q in %q", got.Text, got.Language)
	}
	if got := h.bot.HandleAction(h.ctx, bot.Click{From: bob, Action: follow}); !strings.HasPrefix(got.Text, "You follow") || got.Language != text.English {
		t.Errorf("bob's follow: %q in %q", got.Text, got.Language)
	}
	carol := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "carol"}
	if got := h.bot.HandleAction(h.ctx, bot.Click{From: carol, Action: follow, Locale: "nl-NL"}); !strings.HasPrefix(got.Text, "Je volgt") || got.Language != text.Dutch {
		t.Errorf("carol's follow, her chat in Dutch: %q in %q", got.Text, got.Language)
	}
	gone := bot.Action{Kind: bot.ActionMuteBuyer, ProfileID: 99, NoticeRef: bot.NoticeRef(sporthal.ID)}
	if got := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: gone}); got.Text != "Dat profiel bestaat niet meer of is niet van jou." {
		t.Errorf("alice's mute of a profile not hers: %q", got.Text)
	}
	if got := h.bot.Home(h.ctx, alice); !strings.Contains(got.Text, "Aanbestedingen die je volgt (1):") || got.Language != text.Dutch {
		t.Errorf("alice's home: %q in %q", got.Text, got.Language)
	}
}

// TestRoleRefusalInDutch checks that a refusal for want of a role is said
// in the reader's language, with what the role allows as the caller said
// it to them, the role and the command as typed.
func TestRoleRefusalInDutch(t *testing.T) {
	h := newHarness(t)
	nl := text.For(text.Dutch)
	err := bot.Rights{Store: h.store}.Require(h.ctx, alice, bot.RoleStaff, nl.Sprintf("post events"))
	want := "Alleen mensen met de rol staff kunnen bijeenkomsten aanmaken. Een admin kan die rol toekennen met `role grant <gebruiker> staff`."
	if got := bot.ErrorText(nl, err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := bot.ErrorMessage(bot.Rights{Store: h.store}.Require(h.ctx, alice, bot.RoleStaff, "post events")); !strings.HasPrefix(got, "Only people with the staff role can post events.") {
		t.Errorf("in English: %q", got)
	}
}
