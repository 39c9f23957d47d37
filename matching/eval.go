package matching

import (
	"bytes"
	"strconv"
)

// span is one reason: the bytes [start, end) of an evaluation's text.
type span struct{ start, end uint32 }

// evaluation is the state of evaluating queries against one document: the
// reasons found so far. Reasons are written into one growing text and kept
// as spans of it, so that finding them allocates nothing once the buffers
// have grown; they become strings only for a match that is returned.
type evaluation struct {
	d    *document
	text []byte
	why  []span
}

// reset readies e for the next query, keeping its buffers.
func (e *evaluation) reset() {
	e.text = e.text[:0]
	e.why = e.why[:0]
}

// begin starts a reason; say adds to it; end closes it.
func (e *evaluation) begin() int { return len(e.text) }

func (e *evaluation) say(s string) { e.text = append(e.text, s...) }

func (e *evaluation) sayInt(i int) { e.text = strconv.AppendInt(e.text, int64(i), 10) }

func (e *evaluation) end(start int) {
	e.why = append(e.why, span{uint32(start), uint32(len(e.text))})
}

// reason adds a reason of one piece.
func (e *evaluation) reason(s string) {
	start := e.begin()
	e.say(s)
	e.end(start)
}

// dedupe removes repeated reasons from why, keeping the first of each.
// Reasons are few, so comparing each with those kept beats hashing.
func (e *evaluation) dedupe(why []span) []span {
	out := why[:0]
next:
	for _, s := range why {
		for _, t := range out {
			if bytes.Equal(e.text[s.start:s.end], e.text[t.start:t.end]) {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

// strings returns the reasons in why, deduplicated, as strings; nil when
// there are none.
func (e *evaluation) strings(why []span) []string {
	why = e.dedupe(why)
	if len(why) == 0 {
		return nil
	}
	out := make([]string, len(why))
	for i, s := range why {
		out[i] = string(e.text[s.start:s.end])
	}
	return out
}
