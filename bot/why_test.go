package bot_test

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestWhy(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal, zonne, cumbria, ict)
	h.say(alice, `subscribe name="Bouw Twente" cpv:45 nuts:NL21`)
	h.say(alice, "subscribe zonne* -asbest")
	ref := bot.NoticeRef(sporthal.ID)

	tests := []struct {
		name    string
		from    bot.Subscriber
		text    string
		want    []string // fragments of the reply, in order
		notWant string
	}{
		{name: "matches and does not", from: alice, text: "why " + ref, want: []string{
			`Why "Renovatie sporthal De Sluis" (ref ` + ref + `)`,
			`1. "Bouw Twente" (` + "`cpv:45 nuts:NL21 kind:early,tender`" + `) matches:`,
			"✓ cpv 45212225 under 45",
			"✓ region NL213 under NL21",
			"✓ kind tender",
			`2. "zonne* -asbest" (` + "`zonne* -asbest kind:early,tender`" + `) does not match:`,
			`✗ no "zonne*" in title, description or buyer`,
			`✓ no "asbest" in title, description or buyer`,
		}},
		{name: "by notice id", from: alice, text: "why " + zonne.ID, want: []string{
			`Why "Marktconsultatie zonnepanelen gemeentelijke daken"`,
			"1. \"Bouw Twente\"", "does not match", "✗ no cpv code under 45 (the notice has 09331200)",
			"2. \"zonne* -asbest\"", "matches", `✓ "zonne*" in title (zonnepanelen)`,
		}},
		{name: "ref in capitals", from: alice, text: "why " + strings.ToUpper(ref), want: []string{"Renovatie sporthal De Sluis"}},
		{name: "no profiles", from: bob, text: "why " + ref, want: []string{"You have no profiles", "subscribe"}},
		{name: "unknown notice", from: alice, text: "why 0123456789abcdef", want: []string{`I have no notice "0123456789abcdef"`}},
		{name: "no argument", from: alice, text: "why", want: []string{"Which notice?", "why 3f2a9c0d1e4b5a6f"}},
		{name: "help names it", from: alice, text: "help", want: []string{"why [here] <ref>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := h.say(tt.from, tt.text).Text
			rest := reply
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("reply to %q:\n%s\nwant, after what came before, %q", tt.text, reply, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestWhyHereExplainsTheChannelsProfiles(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal)
	inChannel := func(text string) string {
		return h.bot.Handle(h.ctx, bot.Command{From: alice, Channel: "C-bouw", Text: text}).Text
	}
	inChannel("subscribe here cpv:72")
	h.say(alice, "subscribe cpv:45")
	reply := inChannel("why here " + bot.NoticeRef(sporthal.ID))
	if !strings.Contains(reply, "`cpv:72 kind:early,tender`") || strings.Contains(reply, "`cpv:45") {
		t.Errorf("why here: got %q, want the channel's profile only", reply)
	}
	if reply := h.say(alice, "why here "+bot.NoticeRef(sporthal.ID)); !strings.Contains(reply.Text, "`here` means the channel") {
		t.Errorf("why here in a direct message: got %q", reply.Text)
	}
}
