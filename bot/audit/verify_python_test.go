package audit

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestVerifyInPython checks the export with testdata/verify_audit.py, a
// verifier written from the contract alone, in another language.
func TestVerifyInPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("python3 is not installed, so the export cannot be checked outside Go: %v", err)
	}
	lines := testLines(t, 5)
	dir := t.TempDir()
	run := func(name string, lines []string) (string, error) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(python, filepath.Join("testdata", "verify_audit.py"), path).CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	if out, err := run("audit.jsonl", lines); err != nil || out != "ok 5 entries" {
		t.Errorf("verify_audit.py on a good log: %q, %v; want \"ok 5 entries\"", out, err)
	}
	// The hash is over the canonical form, so a log written out again with
	// its members in another order still verifies.
	respelled := make([]string, len(lines))
	for i, line := range lines {
		respelled[i] = reverseMembers(t, line)
	}
	if out, err := run("respelled.jsonl", respelled); err != nil || out != "ok 5 entries" {
		t.Errorf("verify_audit.py on a respelled log: %q, %v; want \"ok 5 entries\"", out, err)
	}
	tampered := append([]string(nil), lines...)
	tampered[2] = strings.Replace(tampered[2], `"places":42`, `"places":43`, 1)
	if tampered[2] == lines[2] {
		t.Fatal("the tampering changed nothing")
	}
	out, err := run("tampered.jsonl", tampered)
	if err == nil {
		t.Errorf("verify_audit.py accepted a tampered log: %q", out)
	} else if !strings.Contains(out, "line 3") {
		t.Errorf("verify_audit.py on a tampered log: %q, want it to name line 3", out)
	}
}

// reverseMembers writes a line's top-level members in reverse order, with
// spaces.
func reverseMembers(t testing.TB, line string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(m))
	slices.Reverse(names)
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q: %s", name, m[name])
	}
	return "{ " + b.String() + " }"
}
