package main

import (
	"strings"
	"testing"
)

func TestPartnerFeedFromTheConsole(t *testing.T) {
	open := make(chan struct{})
	close(open)
	operator := feedServer(t, open)
	partner := feedServer(t, open) // a second server: the partner's feed
	setEnv(t, operator.URL)

	// The guard refuses a feed on a loopback address and an odd port,
	// naming the rule.
	out := session(t, strings.NewReader("feed add "+partner.URL+"/rss Twente Business Desk\n"))
	if !strings.Contains(out, "is not one of the allowed ports") {
		t.Fatalf("the guard did not refuse a loopback feed:\n%s", out)
	}
	// Private addresses alone do not open other ports; the admin (the
	// console user here) is told which setting does.
	t.Setenv("TENDERBOT_FEEDS_ALLOW_PRIVATE", "true")
	out = session(t, strings.NewReader("feed add "+partner.URL+"/rss Twente Business Desk\n"))
	if !strings.Contains(out, "is not one of the allowed ports") || !strings.Contains(out, "TENDERBOT_FEEDS_ALLOW_PORTS") {
		t.Fatalf("private addresses opened any port, or the admin was not told the setting:\n%s", out)
	}
	// A closed deployment lifts both: preview first, then confirm.
	t.Setenv("TENDERBOT_FEEDS_ALLOW_PORTS", partner.URL[strings.LastIndex(partner.URL, ":")+1:])
	out = session(t, strings.NewReader(
		"feed add "+partner.URL+"/rss Twente Business Desk\n"+
			"feed add "+partner.URL+"/rss Twente Business Desk confirm\n"+
			"feed list\n"))
	for _, want := range []string{
		`"Twente Business Desk" is a rss feed with 3 items`,
		"CPV codes in 3",
		"Added feed #",
		"Twente Business Desk — added by local, rss",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
