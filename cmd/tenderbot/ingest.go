package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
		"the documents' `format`: auto (tell each by its content), rss, atom, jsonfeed, ocds, eforms, ted, tenderned or eforms-zip")
	tenderNedURL := flags.String("tenderned-api", cmp.Or(os.Getenv(envPrefix+"_TENDERNED_API_URL"), feeds.TenderNedAPIURL),
		"the TenderNed publications `API` the publications of a TenderNed Atom feed are joined to their details from (default TENDERBOT_TENDERNED_API_URL)")
	hostGap := flags.Duration("host-gap", feeds.DefaultHostGap,
		"the least `time` between two requests to one host (a TenderNed list asks for a detail per publication); 0 for none")
	flags.Usage = func() {
		fmt.Fprint(stderr, `Usage: tenderbot ingest [--format FORMAT] PATH_OR_URL...

Reads feeds and notices (RSS, Atom, JSON Feed, OCDS, TED eForms XML, TED API
JSON, TenderNed lists and details, eForms ZIP exports) from files or URLs, and
prints each notice as one line of JSON, without storing anything. From a URL,
the next pages of an OCDS package or paged Atom feed are followed too (at most
`+fmt.Sprint(ingestMaxPages)+` pages). A TenderNed list URL is read to its last
page, each publication with its detail from the same API; a TenderNed Atom
feed's publications get their details from --tenderned-api. A ZIP of eForms
notices (Germany's daily export) is read entry by entry; an entry too large or
inflating too much is skipped, named on stderr.

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
	gap := *hostGap
	if gap <= 0 {
		gap = -1 // none; the fetcher's zero is its default
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{TenderNedURL: *tenderNedURL, HostGap: gap})
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
// location is a URL, and hands each notice to emit once. A note that pages
// were left unread goes to stderr.
func ingest(ctx context.Context, fetcher *feeds.Fetcher, location string, format feeds.Format, stderr io.Writer, emit func(bot.Notice) error) error {
	source := feeds.Redact(location)
	doc, err := fetcher.Read(ctx, feeds.Request{Location: location, JoinDetails: true}, format, source, ingestMaxPages)
	if err != nil {
		return err
	}
	for _, problem := range doc.Problems {
		fmt.Fprintf(stderr, "tenderbot ingest: %s: %s\n", source, oneLine(feeds.RedactText(problem)))
	}
	for _, n := range doc.Notices {
		if err := emit(n); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if doc.More != "" {
		fmt.Fprintf(stderr, "tenderbot ingest: %s: stopped after %d pages; more follow at %s\n", source, ingestMaxPages, feeds.Redact(doc.More))
	}
	return nil
}

// oneLine folds an error message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
