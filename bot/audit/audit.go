// Package audit keeps tamper-evident logs: each entry carries the hash of
// the one before it and its own SHA-256 over its canonical JSON encoding
// (RFC 8785), so anyone can verify an exported log without the bot.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

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

// timeLayout writes an instant in UTC to the millisecond, ending in Z.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// maxSafe is the largest integer a JSON number carries exactly: RFC 8785
// reads every number as an IEEE-754 double.
const maxSafe = 1<<53 - 1

// Next returns the entry that follows prev in a chain, sealed with its
// hash. A zero prev starts a chain: Seq 1 and PrevHash Genesis. The time is
// written in UTC to the millisecond. data must encode as a JSON object; nil
// (or anything that encodes as null) becomes {}. Numbers in data are read
// as doubles (RFC 8785), so keep them integers below 2^53, and names ASCII:
// then a plain sorted-keys JSON encoder, as in testdata/verify_audit.py,
// reproduces the hash.
func Next(prev Entry, at time.Time, event int64, action, actor string, data any) (Entry, error) {
	e := Entry{
		Seq:      prev.Seq + 1,
		Time:     at.UTC().Format(timeLayout),
		Event:    event,
		Action:   action,
		Actor:    actor,
		PrevHash: prev.Hash,
	}
	switch {
	case prev.Seq == 0 && prev.Hash == "":
		e.PrevHash = Genesis
	case prev.Seq < 1:
		return Entry{}, fmt.Errorf("audit: previous entry has seq %d", prev.Seq)
	case prev.Hash == "":
		return Entry{}, fmt.Errorf("audit: previous entry %d is not sealed", prev.Seq)
	}
	if y := at.UTC().Year(); y < 0 || y > 9999 {
		return Entry{}, fmt.Errorf("audit: entry %d: year %d is outside RFC 3339", e.Seq, y)
	}
	if event < -maxSafe || event > maxSafe {
		return Entry{}, fmt.Errorf("audit: entry %d: event %d does not survive JSON's doubles", e.Seq, event)
	}
	if !utf8.ValidString(action) || !utf8.ValidString(actor) {
		return Entry{}, fmt.Errorf("audit: entry %d: action or actor is not valid UTF-8", e.Seq)
	}
	d, err := Marshal(data)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: entry %d: data: %w", e.Seq, err)
	}
	switch {
	case string(d) == "null":
		d = []byte("{}")
	case d[0] != '{':
		return Entry{}, fmt.Errorf("audit: entry %d: data must be a JSON object, not %.40s", e.Seq, d)
	}
	e.Data = d
	if e.Hash, err = e.ComputeHash(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// ComputeHash returns the lowercase hex SHA-256 of the entry's JSON object
// without its hash member, in canonical form (RFC 8785).
func (e Entry) ComputeHash() (string, error) {
	o, err := e.object()
	if err != nil {
		return "", err
	}
	return hashOf(o), nil
}

// Line returns the entry as one line of audit.jsonl: its JSON object,
// hash included, in canonical form and without a newline.
func (e Entry) Line() ([]byte, error) {
	o, err := e.object()
	if err != nil {
		return nil, err
	}
	return appendValue(nil, o), nil
}

// object parses the entry's encoding/json form.
func (e Entry) object() (object, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("audit: entry %d: %w", e.Seq, err)
	}
	v, err := parse(raw)
	if err != nil {
		return nil, fmt.Errorf("audit: entry %d: %w", e.Seq, err)
	}
	return v.(object), nil
}

// hashOf is the hex SHA-256 of the canonical form of o without its hash
// member.
func hashOf(o object) string {
	o = slices.DeleteFunc(slices.Clone(o), func(m member) bool { return m.name == "hash" })
	sum := sha256.Sum256(appendValue(nil, o))
	return hex.EncodeToString(sum[:])
}
