package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
)

// ingestMaxPages is how many pages of a paged source (OCDS links.next, an
// Atom feed's rel="next") ingest reads from one URL at the most.
const ingestMaxPages = 20

// ingestNotice is one notice as `tenderbot ingest` prints it: the
// normalised notice other parts and tools rely on (issue 3), field for
// field. What a notice does not state prints as null (value, deadline,
// published) or [] (cpv, nuts, lots), never as a zero value.
type ingestNotice struct {
	ID          string      `json:"id"`
	Source      string      `json:"source"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Language    string      `json:"language"`
	Buyer       string      `json:"buyer"`
	Kind        bot.Kind    `json:"kind"`
	CPV         []string    `json:"cpv"`
	NUTS        []string    `json:"nuts"`
	Country     string      `json:"country"`
	Value       *bot.Money  `json:"value"`
	Deadline    *time.Time  `json:"deadline"`
	Published   *time.Time  `json:"published"`
	URL         string      `json:"url"`
	ProcedureID string      `json:"procedure_id"`
	Lots        []ingestLot `json:"lots"`
}

// ingestLot is one lot of an ingestNotice.
type ingestLot struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	CPV   []string `json:"cpv"`
}

func newIngestNotice(n bot.Notice) ingestNotice {
	out := ingestNotice{
		ID: n.ID, Source: n.Source, Title: n.Title, Description: n.Description, Language: n.Language,
		Buyer: n.Buyer, Kind: n.Kind, CPV: orEmpty(n.CPV), NUTS: orEmpty(n.NUTS), Country: n.Country,
		Value: n.Value, Deadline: timeOrNil(n.Deadline), Published: timeOrNil(n.Published),
		URL: n.URL, ProcedureID: n.ProcedureID, Lots: []ingestLot{},
	}
	for _, l := range n.Lots {
		out.Lots = append(out.Lots, ingestLot{ID: l.ID, Title: l.Title, CPV: orEmpty(l.CPV)})
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// runIngest is `tenderbot ingest [--format F] PATH_OR_URL...`: it reads
// each document, parses it without storing anything, and prints one JSON
// object per notice per line on stdout. A document that cannot be read or
// parsed gets a line on stderr naming it and why; the rest are still read,
// and the command fails at the end.
func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("ingest", flag.ContinueOnError)
	flags.SetOutput(stderr)
	formatName := flags.String("format", string(feeds.FormatAuto),
		"the documents' `format`: auto (tell each by its content), rss, atom, jsonfeed, ocds, eforms or ted")
	flags.Usage = func() {
		fmt.Fprint(stderr, `Usage: tenderbot ingest [--format FORMAT] PATH_OR_URL...

Reads feeds and notices (RSS, Atom, JSON Feed, OCDS, TED eForms XML, TED API
JSON) from files or URLs, and prints each notice as one line of JSON, without
storing anything. From a URL, the next pages of an OCDS package or paged Atom
feed are followed too (at most `+fmt.Sprint(ingestMaxPages)+` pages).

`)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("ingest: %w", err)
	}
	format, err := feeds.FormatFromName(*formatName)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if flags.NArg() == 0 {
		return errors.New("ingest: give one or more files or URLs, e.g. tenderbot ingest notice.xml https://example.org/feed.atom")
	}

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // titles print as written: "Hengelo & Almelo"
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{})
	failed := 0
	for _, location := range flags.Args() {
		err := ingest(ctx, fetcher, location, format, stderr, func(n bot.Notice) error {
			return enc.Encode(newIngestNotice(n))
		})
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "tenderbot ingest: %s: %s\n", feeds.Redact(location), oneLine(err.Error()))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if failed > 0 {
		return fmt.Errorf("ingest: %d of %d documents could not be read", failed, flags.NArg())
	}
	return nil
}

// ingest reads the document at location, and the pages after it when
// location is a URL, and hands each notice to emit once. Notes about paging
// go to stderr.
func ingest(ctx context.Context, fetcher *feeds.Fetcher, location string, format feeds.Format, stderr io.Writer, emit func(bot.Notice) error) error {
	source := feeds.Redact(location)
	seenPages := map[string]bool{}
	seenNotices := map[string]bool{}
	page := location
	for n := 1; ; n++ {
		data, err := fetcher.Fetch(ctx, page)
		if err != nil {
			if inner := errors.Unwrap(err); inner != nil {
				err = inner // the fetcher's error repeats the location
			}
			return pageError(n, page, err)
		}
		notices, err := feeds.ParseFormat(data, format, source)
		if err != nil {
			return pageError(n, page, err)
		}
		for _, notice := range notices {
			if seenNotices[notice.ID] {
				continue // a notice that moved to the next page while we read
			}
			seenNotices[notice.ID] = true
			if err := emit(notice); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		seenPages[page] = true
		next := nextPage(page, feeds.NextPage(data))
		switch {
		case next == "" || seenPages[next]:
			return nil
		case n == ingestMaxPages:
			fmt.Fprintf(stderr, "tenderbot ingest: %s: stopped after %d pages; more follow at %s\n", source, n, feeds.Redact(next))
			return nil
		}
		page = next
	}
}

func pageError(n int, page string, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("page %d (%s): %w", n, feeds.Redact(page), err)
}

// nextPage resolves the next-page link of the document at current. Only a
// web page pages, and only to another web page: a document from the web
// must not make us read local files.
func nextPage(current, next string) string {
	base, err := url.Parse(current)
	if err != nil || next == "" || base.Scheme != "http" && base.Scheme != "https" {
		return ""
	}
	ref, err := url.Parse(next)
	if err != nil {
		return ""
	}
	u := base.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// oneLine folds an error message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
