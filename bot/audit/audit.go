// Package audit keeps tamper-evident logs: each entry carries the hash of
// the one before it and its own SHA-256 over its canonical JSON encoding
// (RFC 8785), so anyone can verify an exported log without the bot.
package audit

import "encoding/json"

// Genesis is the prev_hash of a chain's first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one line of an audit log.
type Entry struct {
	Seq      int64           `json:"seq"`    // 1 for the first entry, then one more each
	Time     string          `json:"time"`   // RFC 3339 in UTC, to the millisecond
	Event    int64           `json:"event"`  // the event the chain belongs to
	Action   string          `json:"action"` // what happened: "publish", "invite", "rsvp", …
	Actor    string          `json:"actor"`  // who did it: a pseudonym, or "tenderbot"
	Data     json.RawMessage `json:"data"`   // a JSON object, in canonical form
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}
