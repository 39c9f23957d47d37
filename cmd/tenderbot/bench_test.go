package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// fanoutKeys are the report's keys in the order other tools parse them.
var fanoutKeys = []string{
	"profiles", "notices", "deliveries", "digest_items", "ingest_s", "notices_per_s", "rows_per_s",
	"ms_per_notice_p50", "ms_per_notice_p99", "bytes_per_row", "drain_per_s", "baseline_rows_per_s",
	"ratio", "peak_rss_mb",
}

// TestBenchFanoutReport runs the command on a tiny workload and reads its
// last line as the tools that parse it do. Speed is not checked: the
// command reports it.
func TestBenchFanoutReport(t *testing.T) {
	for _, tc := range []struct {
		name              string
		args              []string
		profiles, notices float64
	}{
		{"default mix", []string{"--profiles", "300", "--notices", "20", "--sample", "50"}, 300, 20},
		{"broad, two profiles each, kept", []string{"--profiles", "100", "--notices", "10", "--sample", "20",
			"--broad", "--profiles-per-subscriber", "2", "--db", filepath.Join(t.TempDir(), "bench.db")}, 100, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			if err := run(context.Background(), append([]string{"bench", "fanout"}, tc.args...), nil, &stdout, &stderr); err != nil {
				t.Fatalf("bench fanout: %v\nstderr:\n%s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
			got := parseFanoutLine(t, lines[len(lines)-1])
			if got["profiles"] != tc.profiles || got["notices"] != tc.notices {
				t.Errorf("profiles=%v notices=%v, want %v and %v", got["profiles"], got["notices"], tc.profiles, tc.notices)
			}
			if got["deliveries"]+got["digest_items"] <= 0 {
				t.Errorf("deliveries=%v digest_items=%v, want some rows", got["deliveries"], got["digest_items"])
			}
			if got["ratio"] <= 0 {
				t.Errorf("ratio=%v, want more than 0", got["ratio"])
			}
			if !strings.Contains(stderr.String(), "drain:") {
				t.Errorf("stderr has no progress line for the drain:\n%s", stderr.String())
			}
		})
	}
}

// TestBenchFanoutOnPostgres runs the command on PostgreSQL: the same
// report line, with its floor measured on the same server.
func TestBenchFanoutOnPostgres(t *testing.T) {
	server := pgtest.ServerURL(t)
	var stdout, stderr strings.Builder
	args := []string{"bench", "fanout", "--profiles", "300", "--notices", "20", "--sample", "50", "--database-url", server}
	if err := run(context.Background(), args, nil, &stdout, &stderr); err != nil {
		t.Fatalf("bench fanout: %v\nstderr:\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	got := parseFanoutLine(t, lines[len(lines)-1])
	if got["deliveries"] <= 0 || got["drain_per_s"] <= 0 || got["baseline_rows_per_s"] <= 0 || got["bytes_per_row"] <= 0 {
		t.Errorf("got %v, want deliveries drained, a floor and a size", got)
	}
	if !strings.Contains(stderr.String(), "copied into a bare table") {
		t.Errorf("stderr has no progress line for the floor on PostgreSQL:\n%s", stderr.String())
	}
}

func TestBenchFanoutRefusesTwoDatabases(t *testing.T) {
	var stdout, stderr strings.Builder
	for _, args := range [][]string{
		{"--db", filepath.Join(t.TempDir(), "b.db"), "--database-url", "postgres://h/db"},
		{"--database-url", "mysql://h/db"},
	} {
		err := run(context.Background(), append([]string{"bench", "fanout"}, args...), nil, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "--d") {
			t.Errorf("bench fanout %v: got %v, want the flags named", args, err)
		}
	}
}

// parseFanoutLine reads `fanout k=v ...`, failing unless every key is
// there, in order, with a number.
func parseFanoutLine(t *testing.T, line string) map[string]float64 {
	t.Helper()
	fields := strings.Fields(line)
	if len(fields) != len(fanoutKeys)+1 || fields[0] != "fanout" {
		t.Fatalf("last line %q: want fanout and %d key=value pairs", line, len(fanoutKeys))
	}
	values := map[string]float64{}
	for i, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k != fanoutKeys[i] {
			t.Fatalf("pair %d is %q, want %s=…", i+1, f, fanoutKeys[i])
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s=%q is not a number", k, v)
		}
		values[k] = n
	}
	return values
}

func TestBenchUnknownKind(t *testing.T) {
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"bench", "fanin"}, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "fanout") {
		t.Errorf("bench fanin: got %v, want an error naming fanout", err)
	}
}

func TestBenchFanoutHelp(t *testing.T) {
	var stdout, stderr strings.Builder
	if err := run(context.Background(), []string{"bench", "fanout", "--help"}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("bench fanout --help: %v", err)
	}
	for _, flag := range []string{"-profiles", "-notices", "-seed", "-profiles-per-subscriber", "-broad", "-db", "(default 100000)", "(default 3000)"} {
		if !strings.Contains(stderr.String(), flag) {
			t.Errorf("help does not mention %q:\n%s", flag, stderr.String())
		}
	}
}
