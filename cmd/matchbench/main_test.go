package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestReport(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-profiles", "2000", "-notices", "30", "-scan", "10", "-sample", "50", "-seed", "3"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, want := range []string{"build:", "memory:", "candidates:", "index:", "scan:", "agreement:"} {
		if !strings.Contains(out.String(), "\n"+want) {
			t.Errorf("report lacks a %q line:\n%s", want, out.String())
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "ratio=") {
		t.Errorf("last line %q, want ratio=…", last)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-profiles", "0"}, {"-notices", "-1"}, {"extra"}} {
		if err := run(args, &bytes.Buffer{}); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run([]string{"-nonsense"}, &bytes.Buffer{}); err == nil {
		t.Errorf("run(-nonsense) succeeded")
	}
}

func TestChecksumTellsResultsApart(t *testing.T) {
	a := []bot.Hit{{ProfileID: 1, Reasons: []string{"ab", "c"}}}
	for _, b := range [][]bot.Hit{
		nil,
		{{ProfileID: 2, Reasons: []string{"ab", "c"}}},
		{{ProfileID: 1, Reasons: []string{"a", "bc"}}},
		{{ProfileID: 1, Reasons: []string{"ab"}}, {ProfileID: 1, Reasons: []string{"c"}}},
	} {
		if checksum(a) == checksum(b) {
			t.Errorf("checksum(%v) == checksum(%v)", a, b)
		}
	}
	if i, ok := agree([]uint64{1, 2, 3}, []uint64{1, 2, 4}); ok || i != 2 {
		t.Errorf("agree = %d, %v; want 2, false", i, ok)
	}
}
