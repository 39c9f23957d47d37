package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxLine is the longest line Verify reads.
const maxLine = 16 << 20

// Verify checks an exported audit log, one JSON object a line (empty lines
// are skipped), and returns how many entries it holds. Each line is read as
// a generic object, so members unknown to Entry are covered by the hash
// too. Each must have seq, time, action, actor, data, prev_hash and hash;
// hash must be the SHA-256 of the rest (RFC 8785); seq must count 1, 2, 3…;
// prev_hash must be Genesis on the first entry and the hash of the entry
// before it after that. The error names the first line that fails, counted
// from 1, and entries then counts the entries before it.
//
// A log cut short at its end still verifies: compare the count, or the last
// hash, with what is expected.
func Verify(r io.Reader) (entries int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var c chain
	n := 0
	for sc.Scan() {
		n++
		if len(bytes.Trim(sc.Bytes(), " \t\r")) == 0 { // JSON whitespace only
			continue
		}
		if err := c.add(n, sc.Bytes()); err != nil {
			return c.entries, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return c.entries, fmt.Errorf("line %d: longer than %d bytes", n+1, maxLine)
	} else if err != nil {
		return c.entries, fmt.Errorf("reading audit log after line %d: %w", n, err)
	}
	return c.entries, nil
}

// VerifyEntries checks a chain as Verify checks its export: entries[i] is
// line i+1.
func VerifyEntries(entries []Entry) error {
	var c chain
	for i, e := range entries {
		line, err := e.Line()
		if err == nil {
			err = c.add(i+1, line)
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}

// chain follows a log line by line.
type chain struct {
	entries  int    // entries verified so far
	prevLine int    // the line of the last of them
	prevHash string // and its hash
}

// required lists the members every line has, with the JSON type of each.
var required = []struct{ name, kind string }{
	{"seq", "number"},
	{"time", "string"},
	{"action", "string"},
	{"actor", "string"},
	{"data", "object"},
	{"prev_hash", "string"},
	{"hash", "string"},
}

// add checks line n and makes it the chain's last entry.
func (c *chain) add(n int, line []byte) error {
	v, err := parse(line)
	if err != nil {
		return err
	}
	o, ok := v.(object)
	if !ok {
		return errors.New("not a JSON object")
	}
	for _, r := range required {
		m, ok := o.get(r.name)
		if !ok {
			return fmt.Errorf("no %s member", r.name)
		}
		if k := kind(m); k != r.kind {
			return fmt.Errorf("%s is JSON %s, want %s", r.name, k, r.kind)
		}
	}
	hash, _ := o.get("hash")
	if hashOf(o) != hash {
		return errors.New("hash does not match its contents")
	}
	seq, _ := o.get("seq")
	if want := strconv.Itoa(c.entries + 1); seq != number(want) {
		return fmt.Errorf("seq is %s, want %s", seq, want)
	}
	prev, _ := o.get("prev_hash")
	switch {
	case c.entries == 0 && prev != Genesis:
		return errors.New("prev_hash of the first entry is not Genesis (64 zeros)")
	case c.entries > 0 && prev != c.prevHash:
		return fmt.Errorf("prev_hash is not the hash of line %d", c.prevLine)
	}
	c.entries++
	c.prevLine, c.prevHash = n, hash.(string)
	return nil
}

// kind names the JSON type of a parsed value.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}
