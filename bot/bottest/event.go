package bottest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// PublishEvent has staff draft an event with an `event new …` line and
// publish it, through say (a chat command from a person and its reply),
// and returns the event's id. It fails the test when either step is not
// answered as a success.
func PublishEvent(t testing.TB, say func(from bot.Subscriber, text string) bot.Message, staff bot.Subscriber, line string) int64 {
	t.Helper()
	reply := say(staff, line)
	if !strings.Contains(reply.Text, "Draft saved as event") {
		t.Fatalf("event new: %q", reply.Text)
	}
	var id int64
	if _, err := fmt.Sscanf(reply.Text[strings.Index(reply.Text, "event "):], "event %d", &id); err != nil {
		t.Fatalf("no event id in %q", reply.Text)
	}
	if got := say(staff, fmt.Sprintf("event publish %d", id)); !strings.Contains(got.Text, "Published event") {
		t.Fatalf("publish: %q", got.Text)
	}
	return id
}
