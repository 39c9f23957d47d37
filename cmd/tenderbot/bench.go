package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

// runBench is `tenderbot bench KIND [flags]`: a report command that
// measures the bot on its real code paths. The one kind is fanout.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("bench: name what to measure: tenderbot bench fanout [flags] (fanout is the one kind)")
	}
	switch args[0] {
	case "fanout":
		return runFanout(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("bench: unknown kind %q; the one kind is fanout: tenderbot bench fanout --help", args[0])
}

// fanoutConfig is what the flags of `tenderbot bench fanout` ask for.
type fanoutConfig struct {
	profiles      int
	notices       int
	poll          int // notices a poll brings, one Ingest call
	seed          uint64
	perSubscriber int
	sample        int
	broad         bool
	db            string // "": a temporary directory, removed afterwards
	databaseURL   string // a PostgreSQL database to run in instead; "": SQLite
	cap           int
	drainFor      time.Duration // 0: until nothing is due
	cpuProfile    string        // "": no profile of the ingest
	memProfile    string        // "": no profile of the heap after the ingest
}

// parseFanoutFlags reads the flags. After --help it returns flag.ErrHelp.
func parseFanoutFlags(args []string, stderr io.Writer) (fanoutConfig, error) {
	var c fanoutConfig
	flags := flag.NewFlagSet("bench fanout", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.IntVar(&c.profiles, "profiles", 100_000, "number of generated profiles to store")
	flags.IntVar(&c.notices, "notices", 3000, "number of generated notices to ingest")
	flags.IntVar(&c.poll, "poll", 100, "notices a poll brings, ingested in one call as the poller does (TenderNed's API pages 100, TED's up to 250)")
	flags.Uint64Var(&c.seed, "seed", 1, "seed of the generator: the same seed, the same profiles, notices and settings")
	flags.IntVar(&c.perSubscriber, "profiles-per-subscriber", 1, "profiles each subscriber has (1 to 25)")
	flags.IntVar(&c.sample, "sample", 1000, "number of generated notices the feed's baseline poll stores and the index learns key frequencies from")
	flags.BoolVar(&c.broad, "broad", false, "store broad profiles (a CPV division or two, in a country or anywhere), so that a notice reaches many subscribers (default false: the mixed profiles matchbench uses)")
	flags.StringVar(&c.db, "db", "", "keep the database at this new `path` (default: a temporary directory, removed afterwards)")
	flags.StringVar(&c.databaseURL, "database-url", "", "run on the PostgreSQL database at this `URL` (postgres://…) instead of a SQLite file: in a schema of its own, dropped afterwards, with the floor measured on the same server")
	flags.DurationVar(&c.drainFor, "drain-for", 2*time.Minute, "stop draining the outbox after this long (0: until nothing is due); drain_per_s counts what was sent by then")
	flags.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the ingest phase to this `file`, for go tool pprof")
	flags.StringVar(&c.memProfile, "memprofile", "", "write a profile of the heap as the ingest ends to this `file`, for go tool pprof")
	flags.IntVar(&c.cap, "cap", 0, "alert cap per subscriber and hour (0: no cap, so the cap does not cut the fan-out)")
	flags.Usage = func() {
		fmt.Fprint(stderr, `Usage: tenderbot bench fanout [flags]

Stores generated profiles in a fresh database, ingests generated notices
through the bot a poll of --poll at a time, drains the outbox to a messenger that sends
at once, and measures the floor: the same rows inserted into a bare table on
the same disk (with --database-url, copied into one on the same PostgreSQL). Progress goes to stderr; the last line on stdout is the
report, key=value:

  fanout profiles= notices= deliveries= digest_items= ingest_s= notices_per_s=
  rows_per_s= ms_per_notice_p50= ms_per_notice_p99= bytes_per_row=
  drain_per_s= baseline_rows_per_s= ratio= peak_rss_mb=

`)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return c, err
	}
	switch {
	case flags.NArg() > 0:
		return c, fmt.Errorf("bench fanout: unexpected argument %q; everything is a flag, see --help", flags.Arg(0))
	case c.profiles < 1 || c.notices < 1 || c.poll < 1 || c.sample < 0:
		return c, errors.New("bench fanout: --profiles, --notices and --poll must be at least 1, --sample at least 0")
	case c.perSubscriber < 1 || c.perSubscriber > 25:
		return c, errors.New("bench fanout: --profiles-per-subscriber must be 1 to 25, the most a subscriber may keep")
	case c.cap < 0:
		return c, errors.New("bench fanout: --cap must be 0 (no cap) or more")
	case c.drainFor < 0:
		return c, errors.New("bench fanout: --drain-for must be 0 (drain everything) or more")
	case c.databaseURL != "" && c.db != "":
		return c, errors.New("bench fanout: --db keeps a SQLite file and --database-url runs on PostgreSQL; give one of them")
	}
	if err := checkDatabaseURL(c.databaseURL); err != nil {
		return c, fmt.Errorf("bench fanout: --database-url: %w", err)
	}
	return c, nil
}

// runFanout is `tenderbot bench fanout`: workload, profiles, baseline
// poll, ingest, drain, floor, report.
func runFanout(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFanoutFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "bench fanout: "+format+"\n", a...) }
	path, cleanup, err := fanoutDatabase(ctx, c)
	if err != nil {
		return err
	}
	defer cleanup()

	began := time.Now()
	w := newFanoutWorkload(c)
	progress("generated %d profiles for %d subscribers and %d notices (seed %d, %s) in %.1f s",
		len(w.queries), len(w.subscribers), len(w.notices), c.seed, w.mix(), time.Since(began).Seconds())
	r, err := openFanout(ctx, path, c, w, stderr)
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.setUp(ctx, progress); err != nil {
		return err
	}
	rep := fanoutReport{profiles: c.profiles, notices: len(w.notices)}
	stopProfile, err := startCPUProfile(c.cpuProfile)
	if err != nil {
		return err
	}
	err = r.measureIngest(ctx, &rep, progress)
	stopProfile()
	if err != nil {
		return err
	}
	if err := writeHeapProfile(c.memProfile); err != nil {
		return err
	}
	if err := r.measureDrain(ctx, &rep, progress); err != nil {
		return err
	}
	if c.databaseURL != "" {
		err = measureFloorPostgres(ctx, path, r.perNotice, &rep, progress)
	} else if err = settle(ctx, path); err == nil { // as before the ingest
		err = measureFloor(ctx, filepath.Dir(path), r.perNotice, &rep, progress)
	}
	if err != nil {
		return err
	}
	rep.peakRSSMB = peakRSSMB()
	progress("done in %.1f s", time.Since(began).Seconds())
	return rep.write(stdout)
}

// fanoutDatabase returns the fresh database to use, and what removes what
// the run leaves: on PostgreSQL the URL of a schema of its own, and its
// drop; on SQLite the path of a file, and the removal of its temporary
// directory, or nothing when the file is to be kept.
func fanoutDatabase(ctx context.Context, c fanoutConfig) (path string, cleanup func(), err error) {
	if c.databaseURL != "" {
		return fanoutSchema(ctx, c.databaseURL)
	}
	if keep := c.db; keep != "" {
		if _, err := os.Stat(keep); err == nil {
			return "", nil, fmt.Errorf("bench fanout: --db %s exists; give the path of a new file, the run needs a fresh database", keep)
		}
		return keep, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "tenderbot-bench-")
	if err != nil {
		return "", nil, fmt.Errorf("bench fanout: %w", err)
	}
	return filepath.Join(dir, "tenderbot.db"), func() { os.RemoveAll(dir) }, nil
}

// startCPUProfile profiles the CPU into the file at path until the returned
// stop is called; with path "" it does nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench fanout: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench fanout: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeHeapProfile writes a profile of the heap to the file at path; with
// path "" it does nothing.
func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench fanout: %w", err)
	}
	err = pprof.WriteHeapProfile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("bench fanout: heap profile: %w", err)
	}
	return nil
}
