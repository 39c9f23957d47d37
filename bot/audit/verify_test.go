package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

// testLines exports a chain of n entries as the lines of audit.jsonl.
func testLines(t testing.TB, n int) []string {
	t.Helper()
	var lines []string
	for _, e := range testChain(t, n) {
		line, err := e.Line()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	return lines
}

// edit decodes a line, lets f change it, and encodes it again; with reseal
// the hash is recomputed as a forger would, so only the chain can tell.
func edit(t testing.TB, line string, reseal bool, f func(map[string]any)) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	f(m)
	if reseal {
		delete(m, "hash")
		body, err := Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		m["hash"] = hex.EncodeToString(sum[:])
	}
	out, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestVerifyAcceptsAnExport(t *testing.T) {
	lines := testLines(t, 5)
	tests := map[string]string{
		"plain":                  strings.Join(lines, "\n"),
		"final newline":          strings.Join(lines, "\n") + "\n",
		"CRLF":                   strings.Join(lines, "\r\n") + "\r\n",
		"blank lines":            "\n" + strings.Join(lines, "\n\n  \n") + "\n\n",
		"empty":                  "",
		"one entry":              lines[0] + "\n",
		"non-canonical spelling": strings.Replace(strings.Join(lines, "\n"), `,"seq":`, ` , "seq" : `, -1),
		"extra member, resealed": strings.Join(relink(t, append([]string{edit(t, lines[0], true, func(m map[string]any) {
			m["note"] = "members Entry lacks are hashed too"
		})}, lines[1:]...), 0), "\n"),
	}
	for name, log := range tests {
		n, err := Verify(strings.NewReader(log))
		want := strings.Count(log, `"hash":`)
		if err != nil || n != want {
			t.Errorf("%s: Verify = %d, %v; want %d, nil", name, n, err, want)
		}
	}
}

// relink reseals line i as it now is, then carries each hash into the
// prev_hash of the line after it, resealing that too: a forger's rewrite.
func relink(t testing.TB, lines []string, i int) []string {
	t.Helper()
	out := append([]string(nil), lines...)
	out[i] = edit(t, out[i], true, func(map[string]any) {})
	for j := i + 1; j < len(out); j++ {
		var prev struct{ Hash string }
		if err := json.Unmarshal([]byte(out[j-1]), &prev); err != nil {
			t.Fatal(err)
		}
		out[j] = edit(t, out[j], true, func(m map[string]any) { m["prev_hash"] = prev.Hash })
	}
	return out
}

func TestVerifyDetectsTampering(t *testing.T) {
	lines := testLines(t, 5)
	set := func(i int, reseal bool, member string, v any) []string {
		out := append([]string(nil), lines...)
		out[i] = edit(t, out[i], reseal, func(m map[string]any) { m[member] = v })
		return out
	}
	without := func(i int) []string {
		return append(append([]string(nil), lines[:i]...), lines[i+1:]...)
	}
	tests := []struct {
		name  string
		lines []string
		want  string
		n     int // entries before the failing line
	}{
		{"data value", set(2, false, "data", map[string]any{"places": 99}), "line 3: hash does not match its contents", 2},
		{"actor", set(1, false, "actor", "someone-else"), "line 2: hash does not match its contents", 1},
		{"time", set(4, false, "time", "2027-02-10T13:04:02.000Z"), "line 5: hash does not match its contents", 4},
		{"seq", set(3, false, "seq", 7), "line 4: hash does not match its contents", 3},
		{"prev_hash", set(3, false, "prev_hash", Genesis), "line 4: hash does not match its contents", 3},
		{"hash", set(0, false, "hash", strings.Repeat("ab", 32)), "line 1: hash does not match its contents", 0},
		{"member added", set(1, false, "note", "x"), "line 2: hash does not match its contents", 1},
		{"seq, resealed", set(3, true, "seq", 7), "line 4: seq is 7, want 4", 3},
		{"seq as string, resealed", set(1, true, "seq", "2"), `line 2: seq is JSON string, want number`, 1},
		{"prev_hash, resealed", set(3, true, "prev_hash", Genesis), "line 4: prev_hash is not the hash of line 3", 3},
		{"first prev_hash, resealed", set(0, true, "prev_hash", strings.Repeat("1", 64)), "line 1: prev_hash of the first entry is not Genesis", 0},
		{"data rewritten, resealed", set(2, true, "actor", "someone-else"), "line 4: prev_hash is not the hash of line 3", 3},
		{"line deleted", without(2), "line 3: seq is 4, want 3", 2},
		{"first line deleted", without(0), "line 1: seq is 2, want 1", 0},
		{"lines swapped", []string{lines[0], lines[2], lines[1], lines[3], lines[4]}, "line 2: seq is 3, want 2", 1},
		{"line repeated", []string{lines[0], lines[1], lines[1], lines[2]}, "line 3: seq is 2, want 3", 2},
		{"line deleted, renumbered and resealed", func() []string {
			out := without(2)
			for i := 2; i < len(out); i++ {
				out[i] = edit(t, out[i], true, func(m map[string]any) { m["seq"] = i + 1 })
			}
			return out
		}(), "line 3: prev_hash is not the hash of line 2", 2},
		{"member missing", set(1, true, "actor", nil), "line 2: actor is JSON null, want string", 1},
		{"data not an object", set(1, true, "data", []int{1}), "line 2: data is JSON array, want object", 1},
		{"no hash", []string{lines[0], edit(t, lines[1], false, func(m map[string]any) { delete(m, "hash") })}, "line 2: no hash member", 1},
		{"no time", []string{edit(t, lines[0], true, func(m map[string]any) { delete(m, "time") })}, "line 1: no time member", 0},
		{"not JSON", []string{lines[0], lines[1], lines[2][:40]}, "line 3: jcs:", 2},
		{"non-JSON space", []string{lines[0], "\u00a0", lines[1]}, "line 2: jcs:", 1},
		{"not an object", []string{lines[0], `[1,2]`}, "line 2: not a JSON object", 1},
		{"duplicate member", []string{lines[0], strings.Replace(lines[1], `{`, `{"seq":2,`, 1)}, `line 2: jcs: duplicate object member "seq"`, 1},
		{"two objects on a line", []string{lines[0] + lines[1]}, "line 1: jcs: data after the JSON value", 0},
	}
	for _, tt := range tests {
		log := strings.Join(tt.lines, "\n") + "\n"
		n, err := Verify(strings.NewReader(log))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: Verify error %v, want %q", tt.name, err, tt.want)
		}
		if n != tt.n {
			t.Errorf("%s: Verify counted %d entries before the failure, want %d", tt.name, n, tt.n)
		}
	}
}

func TestVerifyCountsBlankLines(t *testing.T) {
	lines := testLines(t, 3)
	log := lines[0] + "\n\n" + lines[1] + "\n\n" + edit(t, lines[2], true, func(m map[string]any) {
		m["prev_hash"] = Genesis
	}) + "\n"
	_, err := Verify(strings.NewReader(log))
	if want := "line 5: prev_hash is not the hash of line 3"; err == nil || err.Error() != want {
		t.Errorf("Verify error %v, want %q", err, want)
	}
}

func TestVerifyLongLines(t *testing.T) {
	e, err := Next(Entry{}, t0, 1, "publish", "tenderbot", map[string]string{"text": strings.Repeat("x", 1<<20)})
	if err != nil {
		t.Fatal(err)
	}
	line, err := e.Line()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := Verify(bytes.NewReader(line)); err != nil || n != 1 {
		t.Errorf("Verify of a 1 MiB line = %d, %v; want 1, nil", n, err)
	}
	huge := append(append(append([]byte(nil), line...), '\n'), bytes.Repeat([]byte(" "), maxLine+1)...)
	if _, err := Verify(bytes.NewReader(huge)); err == nil || !strings.HasPrefix(err.Error(), "line 2: longer than") {
		t.Errorf("Verify of an over-long line: %v, want line 2: longer than…", err)
	}
}

func TestVerifyEntries(t *testing.T) {
	chain := testChain(t, 5)
	if err := VerifyEntries(chain); err != nil {
		t.Errorf("VerifyEntries: %v", err)
	}
	if err := VerifyEntries(nil); err != nil {
		t.Errorf("VerifyEntries(nil): %v", err)
	}
	clone := func() []Entry { return append([]Entry(nil), chain...) }
	actor := clone()
	actor[1].Actor = "someone-else"
	noData := clone()
	noData[2].Data = nil
	swapped := clone()
	swapped[1], swapped[2] = swapped[2], swapped[1]
	resealed := clone()
	resealed[3].Action = "cancel"
	resealed[3].Hash, _ = resealed[3].ComputeHash()
	tests := []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"actor changed", actor, "line 2: hash does not match its contents"},
		{"data dropped", noData, "line 3: data is JSON null, want object"},
		{"swapped", swapped, "line 2: seq is 3, want 2"},
		{"resealed", resealed, "line 5: prev_hash is not the hash of line 4"},
		{"deleted", append(clone()[:1], chain[2:]...), "line 2: seq is 3, want 2"},
	}
	for _, tt := range tests {
		if err := VerifyEntries(tt.entries); err == nil || err.Error() != tt.want {
			t.Errorf("%s: VerifyEntries error %v, want %q", tt.name, err, tt.want)
		}
	}
}
