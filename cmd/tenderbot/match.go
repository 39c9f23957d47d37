package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/matching"
)

// matcherSample is how many of the most recent stored notices the index
// counts keys in, to file each profile under its rarest keys.
const matcherSample = 2000

// newMatcher returns the index the bot matches with: codes in queries are
// checked against vocab, and each profile is filed under the keys that are
// rarest in the most recent stored notices.
func newMatcher(ctx context.Context, store bot.NoticeStore, vocab *matching.Vocabulary) (*matching.Index, error) {
	recent, err := store.RecentNotices(ctx, matcherSample)
	if err != nil {
		return nil, fmt.Errorf("matcher: read recent notices: %w", err)
	}
	return matching.NewIndex(matching.Options{Vocabulary: vocab, Sample: recent}), nil
}

// matchLine is one notice as `tenderbot match` prints it.
type matchLine struct {
	ID      string   `json:"id"`
	Matched bool     `json:"matched"`
	Reasons []string `json:"reasons"` // [] when it did not match, or matched by exclusions only
}

// matchArgs are the flags and arguments of `tenderbot match`.
type matchArgs struct {
	query     bot.Query
	format    feeds.Format
	locations []string
}

// runMatch is `tenderbot match --query Q PATH_OR_URL...`: the back-test of
// a profile before saving it. It reads each document as `tenderbot ingest`
// does and prints, per notice, one line of JSON saying whether the query
// matches and why. The query is compiled as a new profile's is, so it gets
// kind:early,tender unless it names kinds (--search leaves that out, as the
// search command does). The canonical query goes to stderr. A malformed
// query stops it at once; a document that cannot be read or parsed gets a
// line on stderr naming it, the rest are still read, and the command fails
// at the end.
func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseMatchArgs(args, stderr)
	if err != nil || a.query == nil {
		return err // a nil query: --help was asked for
	}
	fmt.Fprintf(stderr, "tenderbot match: query `%s`\n", a.query.String())

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{})
	failed := 0
	for _, location := range a.locations {
		notices, err := readNotices(ctx, fetcher, location, a.format)
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "tenderbot match: %s: %s\n", feeds.Redact(location), oneLine(err.Error()))
			continue
		}
		for i := range notices {
			reasons, ok := a.query.Match(&notices[i])
			if reasons == nil {
				reasons = []string{}
			}
			if err := enc.Encode(matchLine{ID: notices[i].ID, Matched: ok, Reasons: reasons}); err != nil {
				return fmt.Errorf("match: write: %w", err)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if failed > 0 {
		return fmt.Errorf("match: %d of %d documents could not be read", failed, len(a.locations))
	}
	return nil
}

// parseMatchArgs reads the flags, loads the code lists and compiles the
// query. After --help it returns no query and no error.
func parseMatchArgs(args []string, stderr io.Writer) (matchArgs, error) {
	flags := flag.NewFlagSet("match", flag.ContinueOnError)
	flags.SetOutput(stderr)
	query := flags.String("query", "", "the profile `query` to try, e.g. 'cpv:45 nuts:NL21 -asbest'")
	search := flags.Bool("search", false, "match the query as the search command does, without a new profile's default kind:early,tender")
	formatName := flags.String("format", string(feeds.FormatAuto),
		"the documents' `format`: auto (tell each by its content), rss, atom, jsonfeed, ocds, eforms or ted")
	now := flags.String("now", "", "evaluate deadline: as at this `time` (RFC 3339, e.g. 2026-11-26T09:00:00Z) instead of now")
	cpvFile := flags.String("cpv-file", os.Getenv(envPrefix+"_CPV_FILE"), "CSV list of CPV codes to check the query's codes against (default $TENDERBOT_CPV_FILE)")
	nutsFile := flags.String("nuts-file", os.Getenv(envPrefix+"_NUTS_FILE"), "CSV list of NUTS codes to check the query's regions against (default $TENDERBOT_NUTS_FILE)")
	flags.Usage = func() {
		fmt.Fprint(stderr, `Usage: tenderbot match --query QUERY [flags] PATH_OR_URL...

Tries a profile query on the notices in files or URLs (any format tenderbot
ingest reads) and prints, for each notice, one line of JSON:
{"id": ..., "matched": true|false, "reasons": [...]}. Nothing is stored.

`)
		flags.PrintDefaults()
	}
	var a matchArgs
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return a, nil
		}
		return a, fmt.Errorf("match: %w", err)
	}
	if *query == "" {
		return a, errors.New("match: give the query to try with --query, e.g. tenderbot match --query 'cpv:45 nuts:NL21' notices.xml")
	}
	if a.locations = flags.Args(); len(a.locations) == 0 {
		return a, errors.New("match: give one or more files or URLs to try the query on, e.g. tenderbot match --query 'cpv:45' notices.xml")
	}
	var err error
	if a.format, err = feeds.FormatFromName(*formatName); err != nil {
		return a, fmt.Errorf("match: %w", err)
	}
	opts := matching.Options{Vocabulary: matching.NewVocabulary()}
	if err := loadCodeLists(opts.Vocabulary, *cpvFile, *nutsFile); err != nil {
		return a, fmt.Errorf("match: %w", err)
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return a, fmt.Errorf("match: --now %q is not a time like 2026-11-26T09:00:00Z", *now)
		}
		opts.Clock = fixedClock(t)
	}
	m := matching.NewScanWith(opts)
	if *search {
		a.query, err = m.Compile(*query)
	} else {
		a.query, err = m.CompileProfile(*query)
	}
	if err != nil {
		return a, fmt.Errorf("match: --query: %s", bot.ErrorMessage(err))
	}
	return a, nil
}

// fixedClock is a clock that always says the same time.
type fixedClock time.Time

// Now returns the time the clock says.
func (c fixedClock) Now() time.Time { return time.Time(c) }

// readNotices reads the document at location and parses it as format.
func readNotices(ctx context.Context, fetcher *feeds.Fetcher, location string, format feeds.Format) ([]bot.Notice, error) {
	data, err := fetcher.Fetch(ctx, location)
	if err != nil {
		return nil, err
	}
	return feeds.ParseFormat(data, format, feeds.Redact(location))
}
