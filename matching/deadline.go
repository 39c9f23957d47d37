package matching

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// maxDays bounds the days deadline: accepts.
const maxDays = 3650

const day = 24 * time.Hour

// deadlineNode matches a notice whose deadline is within bounds days of
// now: deadline:>=7d is a deadline at least 7 days away. The time comes
// from the clock the notice is prepared with. A deadline that has passed
// never matches. A notice that states no deadline passes, with the reason
// "deadline not stated": early engagement notices rarely have one.
type deadlineNode struct {
	bounds
	said string // bounds in words, "at least 7 days"
}

// compileDeadline compiles the value of deadline:.
func compileDeadline(_ *compiler, value string, _ bool) (node, int, error) {
	b, err := parseBounds(value, parseDays)
	switch {
	case errors.Is(err, errNoComparison):
		return nil, 0, bot.Errorf(bot.EINVALID, "deadline:%s — say how many days must be left: deadline:>=7d (at least 7 days), deadline:<30d, or a range like deadline:7d..30d", value)
	case err != nil:
		return nil, 0, bot.Errorf(bot.EINVALID, "deadline:%s — %v. Write days like 7d, or weeks like 2w", value, why(err))
	case b.empty():
		return nil, 0, bot.Errorf(bot.EINVALID, "deadline:%s — no number of days lies in that range; put the smaller first, like deadline:7d..30d", value)
	}
	return &deadlineNode{bounds: b, said: b.words(formatDayWords)}, 1, nil
}

// parseDays reads days (7d, or plain 7) or weeks (2w).
func parseDays(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "d"), strings.HasSuffix(s, "D"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "w"), strings.HasSuffix(s, "W"):
		s, mult = s[:len(s)-1], 7
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || !isDigits(s) {
		return 0, unreadable(text.M("%q is no number of days", s))
	}
	if n > maxDays/mult {
		return 0, unreadable(text.M("%s is more than %d days", s, maxDays))
	}
	return n * mult, nil
}

// formatDays writes days in canonical form, 7d; in words, formatDayWords.
func formatDays(n int64) string { return strconv.FormatInt(n, 10) + "d" }

func formatDayWords(n int64) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.FormatInt(n, 10) + " days"
}

// daysLeft returns the time left until the deadline in days.
func daysLeft(d *document) float64 {
	return float64(d.deadline.Sub(d.now)) / float64(day)
}

func (n *deadlineNode) match(e *evaluation) bool {
	d := e.d
	if d.deadline.IsZero() {
		e.reason("deadline not stated")
		return true
	}
	if d.deadline.Before(d.now) || !n.contains(daysLeft(d)) {
		return false
	}
	start := e.begin()
	sayDeadline(e, d)
	e.say(", ")
	e.say(n.said)
	e.end(start)
	return true
}

// sayDeadline says how far off the deadline is, in whole days rounded
// down: "deadline in 12 days", "deadline in less than a day", "deadline
// passed".
func sayDeadline(e *evaluation, d *document) {
	left := int(math.Floor(daysLeft(d)))
	switch {
	case d.deadline.Before(d.now):
		e.say("deadline passed")
	case left == 0:
		e.say("deadline in less than a day")
	case left == 1:
		e.say("deadline in 1 day")
	default:
		e.say("deadline in ")
		e.sayInt(left)
		e.say(" days")
	}
}

func (n *deadlineNode) missing(d *document) string {
	var e evaluation
	sayDeadline(&e, d)
	return string(e.text) + ", not " + n.said
}

func (n *deadlineNode) keywords() []string { return nil }

func (n *deadlineNode) format(b *strings.Builder) {
	b.WriteString("deadline:")
	b.WriteString(n.bounds.format(formatDays))
}

func (n *deadlineNode) precedence() int { return precAtom }
