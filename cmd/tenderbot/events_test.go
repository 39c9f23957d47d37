package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/web"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/engage"
)

// TestEventFromTheConsole runs an event through the console chat, whose
// user is the admin when none is configured: a form completed by prompts,
// publication, registration, an anonymous question answered to all, and
// the record written and verified on the command line.
func TestEventFromTheConsole(t *testing.T) {
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	start := time.Now().Add(14*24*time.Hour).In(time.FixedZone("", 3600)).Format("2006-01-02") + "T14:00+01:00"
	out := session(t, strings.NewReader(strings.Join([]string{
		`event new title="Marktconsultatie zonnedaken" kind=consultation start=` + start + ` capacity=30 target="cpv:09331200 nuts:NL21"`,
		`16:00`,
		`Stadhuis Almelo`,
		`event publish 1`,
		`event rsvp 1 going name="Jan Jansen" company="Zon BV"`,
		`event ask 1 Mogen consortia inschrijven?`,
		`event answer 1 1 Ja, consortia zijn welkom.`,
		`events`,
		`event export 1`,
	}, "\n")+"\n"))
	for _, want := range []string{
		"When does it end?",
		"Where is it",
		"Draft saved as event 1",
		"Reach: ",
		"Published event 1",
		"You're going to \"Marktconsultatie zonnedaken\"",
		"--- event-1.ics (text/calendar) ---",
		"Your question is Q1",
		"Q1 answered",
		"A: Ja, consortia zijn welkom.",
		"1. Marktconsultatie zonnedaken — Market consultation",
		"event-1-record.zip (application/zip",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the console session lacks %q:\n%s", want, out)
		}
	}

	dir := filepath.Join(t.TempDir(), "event-1")
	var stdout, stderr syncBuffer
	ctx := context.Background()
	if err := run(ctx, []string{"export-event", "1", "--out", dir}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export-event: %v", err)
	}
	for _, name := range []string{"event.json", "qa.json", "attendance.csv", "audit.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("export-event did not write %s: %v", name, err)
		}
	}
	attendance, _ := os.ReadFile(filepath.Join(dir, "attendance.csv"))
	if !strings.Contains(string(attendance), "Jan Jansen,Zon BV,going,") {
		t.Errorf("attendance.csv:\n%s", attendance)
	}
	f, err := os.Open(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := audit.Verify(f); err != nil || n < 7 {
		t.Errorf("audit.jsonl: %d entries, %v", n, err)
	}
	if err := run(ctx, []string{"verify-audit", filepath.Join(dir, "audit.jsonl")}, nil, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "ends where event.json says") {
		t.Errorf("verify-audit: %v\n%s", err, stdout.String())
	}
	// A log cut short still chains, but no longer ends where event.json says.
	cut := t.TempDir()
	full, _ := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	lines := strings.SplitAfter(strings.TrimSpace(string(full)), "\n")
	os.WriteFile(filepath.Join(cut, "audit.jsonl"), []byte(strings.Join(lines[:len(lines)-1], "")), 0o600)
	summary, _ := os.ReadFile(filepath.Join(dir, "event.json"))
	os.WriteFile(filepath.Join(cut, "event.json"), summary, 0o600)
	if err := run(ctx, []string{"verify-audit", filepath.Join(cut, "audit.jsonl")}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "entries are missing") {
		t.Errorf("a log cut short passed: %v", err)
	}
	// An export never overwrites, and a tampered log is refused.
	if err := run(ctx, []string{"export-event", "1", "--out", dir}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Errorf("a second export into the same folder: %v", err)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	tampered := filepath.Join(t.TempDir(), "audit.jsonl")
	os.WriteFile(tampered, []byte(strings.Replace(string(log), "welkom", "niet welkom", 1)), 0o600)
	if err := run(ctx, []string{"verify-audit", tampered}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("a tampered log passed: %v", err)
	}
	// So does the Python check in the README, where python3 is installed.
	if python, err := exec.LookPath("python3"); err == nil {
		script := filepath.Join("..", "..", "bot", "audit", "testdata", "verify_audit.py")
		if got, err := exec.Command(python, script, filepath.Join(dir, "audit.jsonl")).CombinedOutput(); err != nil || !strings.HasPrefix(string(got), "ok ") {
			t.Errorf("verify_audit.py on an export: %s %v", got, err)
		}
	}
	if err := run(ctx, []string{"export-event", "9", "--out", filepath.Join(t.TempDir(), "x")}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "export-event") {
		t.Errorf("export of a missing event: %v", err)
	}
}

// TestREADMEShowsTheTestedVerifier keeps the README's verification
// snippet the script the audit tests run.
func TestREADMEShowsTheTestedVerifier(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("..", "..", "bot", "audit", "testdata", "verify_audit.py"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```python\n"+string(script)+"```") {
		t.Error("the README's Python verifier differs from bot/audit/testdata/verify_audit.py")
	}
}

// The engagement events serve the public event pages.
var _ web.Events = (*engage.Service)(nil)
