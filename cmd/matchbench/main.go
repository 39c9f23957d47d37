// Command matchbench reports how the matching index compares with the scan
// it must agree with: it builds both over the same generated profiles, runs
// them over the same generated notices in one process, and prints time per
// notice, build time, memory per profile, allocations and candidates, with
// the speed-up as its last line:
//
//	go run ./cmd/matchbench -profiles 1000000 -notices 3000 -scan 100 -seed 1
//
// It exits with status 1 when the index and the scan disagree on any
// notice both ran, and 2 on bad flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/matching/workload"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "matchbench:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "matchbench:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// config is what the flags ask for.
type config struct {
	profiles, notices, scan, sample int
	seed                            uint64
	cpuProfile                      string
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("matchbench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&c.profiles, "profiles", 100_000, "number of generated profiles")
	fs.IntVar(&c.notices, "notices", 1000, "number of generated notices the index matches")
	fs.IntVar(&c.scan, "scan", 0, "match only the first `N` notices with the scan as well (0: all); the scan takes about 0.5 s a notice at a million profiles")
	fs.IntVar(&c.sample, "sample", 1000, "number of generated notices the index learns key frequencies from")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the generator: the same seed, the same profiles and notices")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the index's run to `file`")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.scan <= 0 || c.scan > c.notices {
		c.scan = c.notices
	}
	if c.profiles < 1 || c.notices < 1 || c.sample < 0 || fs.NArg() > 0 {
		return c, fmt.Errorf("%w: -profiles and -notices must be positive, and there are no arguments", errUsage)
	}
	return c, nil
}

// run builds, measures and reports. The index is built and run before the
// scan is built, so that the scan's compiled queries do not burden the
// garbage collector while the index runs, as they would not in the bot.
func run(args []string, out io.Writer) error {
	c, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	g := workload.New(c.seed)
	queries := g.Profiles(c.profiles)
	notices := g.Notices(c.notices)
	opts := matching.Options{Clock: fixedClock(workload.Now), Sample: g.Notices(c.sample)}
	fmt.Fprintf(out, "profiles:   %d generated (seed %d); notices: %d, of which the scan matches %d\n",
		c.profiles, c.seed, c.notices, c.scan)

	index, ix, err := runIndex(c, opts, queries, notices)
	if err != nil {
		return err
	}
	heap0 := liveHeap()
	scan := matching.NewScanWith(opts)
	if err := fill(scan, queries); err != nil {
		return err
	}
	scanBytes := (liveHeap() - heap0) / float64(c.profiles)
	sc := measure(scan.Match, notices[:c.scan])

	fmt.Fprintf(out, "build:      %.2f s to compile and index %d stored queries (%.1f µs each)\n",
		ix.build.Seconds(), c.profiles, float64(ix.build.Microseconds())/float64(c.profiles))
	fmt.Fprintf(out, "memory:     index %.0f B/profile, all included; the compiled queries the scan holds %.0f B/profile\n",
		ix.bytes, scanBytes)
	fmt.Fprintf(out, "candidates: %.0f a notice, %.3f%% of the profiles; matches %.0f a notice (%.3f%%)\n",
		ix.candidates, 100*ix.candidates/float64(c.profiles), ix.hits, 100*ix.hits/float64(c.profiles))
	fmt.Fprintf(out, "index:      %.3f ms/notice (%d notices in %.2f s), %.1f allocs/notice\n",
		ix.perNotice, len(notices), ix.total.Seconds(), ix.allocs)
	fmt.Fprintf(out, "scan:       %.3f ms/notice (%d notices in %.2f s), %.1f allocs/notice\n",
		sc.perNotice, c.scan, sc.total.Seconds(), sc.allocs)

	if i, ok := agree(ix.sums[:c.scan], sc.sums); !ok {
		return fmt.Errorf("index and scan disagree on notice %d (%s): %s",
			i, notices[i].ID, difference(index.Match(&notices[i]), scan.Match(&notices[i])))
	}
	fmt.Fprintf(out, "agreement:  the index and the scan returned the same profiles and reasons for all %d notices both ran\n", c.scan)
	fmt.Fprintf(out, "ratio=%.1f\n", sc.perNotice/ix.perNotice)
	return nil
}

// indexRun is what runIndex measured.
type indexRun struct {
	result
	build      time.Duration
	bytes      float64 // per profile
	candidates float64 // per notice
}

// runIndex builds the index as the bot does from stored profiles (compile,
// put, compact), then matches the notices.
func runIndex(c config, opts matching.Options, queries []string, notices []bot.Notice) (*matching.Index, indexRun, error) {
	var r indexRun
	heap0 := liveHeap()
	start := time.Now()
	index := matching.NewIndex(opts)
	if err := fill(index, queries); err != nil {
		return nil, r, err
	}
	index.Compact()
	r.build = time.Since(start)
	r.bytes = (liveHeap() - heap0) / float64(c.profiles)
	stop, err := startProfile(c.cpuProfile)
	if err != nil {
		return nil, r, err
	}
	r.result = measure(index.Match, notices)
	stop()
	for i := range notices {
		r.candidates += float64(index.Candidates(&notices[i]))
	}
	r.candidates /= float64(len(notices))
	return index, r, nil
}

// fixedClock is a clock that always says the same time: the generated
// notices' deadlines are relative to workload.Now.
type fixedClock time.Time

// Now returns the time the clock says.
func (c fixedClock) Now() time.Time { return time.Time(c) }

// matcher is what fill needs of the index and the scan.
type matcher interface {
	Compile(string) (bot.Query, error)
	Put(int64, bot.Query)
}

// fill compiles each query and puts it under IDs 1, 2, ….
func fill(m matcher, queries []string) error {
	for i, q := range queries {
		cq, err := m.Compile(q)
		if err != nil {
			return fmt.Errorf("generated query %q: %w", q, err)
		}
		m.Put(int64(i+1), cq)
	}
	return nil
}

// result is a matcher's run over the notices.
type result struct {
	total     time.Duration
	perNotice float64 // ms
	allocs    float64 // per notice
	hits      float64 // per notice
	sums      []uint64
}

// measure matches each notice, timing each match and counting
// allocations; it keeps a checksum of each notice's hits, not the hits, so
// that a million profiles' worth of results need not be held, and leaves
// the checksumming out of the time.
func measure(match func(*bot.Notice) []bot.Hit, notices []bot.Notice) result {
	r := result{sums: make([]uint64, len(notices))}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	hits := 0
	for i := range notices {
		start := time.Now()
		h := match(&notices[i])
		r.total += time.Since(start)
		hits += len(h)
		r.sums[i] = checksum(h)
	}
	runtime.ReadMemStats(&after)
	n := float64(len(notices))
	r.perNotice = float64(r.total.Microseconds()) / 1000 / n
	r.allocs = float64(after.Mallocs-before.Mallocs) / n
	r.hits = float64(hits) / n
	return r
}

// checksum hashes hits (FNV-1a over IDs and reasons, in order).
func checksum(hits []bot.Hit) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	mix := func(b byte) { h = (h ^ uint64(b)) * prime }
	for _, hit := range hits {
		for s := 0; s < 64; s += 8 {
			mix(byte(hit.ProfileID >> s))
		}
		for _, r := range hit.Reasons {
			for i := 0; i < len(r); i++ {
				mix(r[i])
			}
			mix(0)
		}
		mix(1)
	}
	return h
}

// difference describes the first difference between the index's hits and
// the scan's.
func difference(ix, sc []bot.Hit) string {
	for i := range min(len(ix), len(sc)) {
		if ix[i].ProfileID != sc[i].ProfileID || !slices.Equal(ix[i].Reasons, sc[i].Reasons) {
			return fmt.Sprintf("hit %d: index %+v, scan %+v", i, ix[i], sc[i])
		}
	}
	return fmt.Sprintf("the index has %d hits, the scan %d", len(ix), len(sc))
}

// agree returns the first notice on which the checksums differ.
func agree(a, b []uint64) (int, bool) {
	for i := range a {
		if a[i] != b[i] {
			return i, false
		}
	}
	return 0, true
}

// startProfile starts a CPU profile to path, if any, and returns what
// stops it.
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// liveHeap returns the bytes of live heap after collecting garbage.
func liveHeap() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc)
}
