package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// fanoutReport is what a fan-out run measured.
type fanoutReport struct {
	profiles, notices       int
	deliveries, digestItems int
	ingest                  time.Duration // the Ingest calls, summed
	p50, p99                float64       // ms per notice
	grown                   int64         // bytes the database grew by during ingest
	sent                    int
	drain                   time.Duration
	floorRows               int
	floor                   time.Duration
	peakRSSMB               float64
}

// write prints the report line, key=value in the order other tools parse.
func (r fanoutReport) write(w io.Writer) error {
	rows := r.deliveries + r.digestItems
	rowsPerS := rate(rows, r.ingest)
	baseline := rate(r.floorRows, r.floor)
	bytesPerRow, ratio := 0.0, 0.0
	if rows > 0 {
		bytesPerRow = float64(r.grown) / float64(rows)
	}
	if baseline > 0 {
		ratio = rowsPerS / baseline
	}
	_, err := fmt.Fprintf(w, "fanout profiles=%d notices=%d deliveries=%d digest_items=%d ingest_s=%.3f notices_per_s=%.1f rows_per_s=%.0f "+
		"ms_per_notice_p50=%.3f ms_per_notice_p99=%.3f bytes_per_row=%.0f drain_per_s=%.0f baseline_rows_per_s=%.0f ratio=%.4f peak_rss_mb=%.0f\n",
		r.profiles, r.notices, r.deliveries, r.digestItems, r.ingest.Seconds(), rate(r.notices, r.ingest), rowsPerS,
		r.p50, r.p99, bytesPerRow, rate(r.sent, r.drain), baseline, ratio, r.peakRSSMB)
	return err
}

// rate is n a second over d; 0 for no time.
func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// peakRSSMB returns the process's peak resident set in MB (VmHWM in
// /proc/self/status), or 0 where the system does not say.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb * 1024 / 1e6
		}
	}
	return 0
}
