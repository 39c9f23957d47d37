package feeds

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TEDScheme marks a feed location that is a TED Search API expert query:
// "ted:place-of-performance=NLD AND notice-type=pin-cfc-standard".
const TEDScheme = "ted:"

// Document is what reading a feed brought, over all its pages.
type Document struct {
	// Response is the first page's: its validators and max-age. When it
	// is NotModified nothing else was read.
	Response
	Notices []bot.Notice // each once, in the order read
	// More is the next page not read because maxPages stopped the
	// reading; "" when the feed was read to its end.
	More string
	// Problems are what went wrong without failing the read: a day of a
	// named source that could not be read, an entry of an export that was
	// skipped. The poller logs them.
	Problems []string
}

// Read fetches the feed r names and the pages after it, up to maxPages
// (at least one), parsing each in format (FormatAuto detects it) with
// source as the notices' Source. Errors do not repeat r's location: the
// caller names it. A web document pages by OCDS links.next or
// a rel="next" link, only to other web addresses, through the guard when r
// is untrusted; a ted: location runs its query against the TED Search API.
func (f *Fetcher) Read(ctx context.Context, r Request, format Format, source string, maxPages int) (Document, error) {
	maxPages = max(maxPages, 1)
	switch strings.ToLower(strings.TrimSpace(r.Location)) {
	case TenderNedLocation:
		// The base address is the operator's setting, whatever the
		// feed's owner: nothing of a partner's reaches the request.
		return f.readTenderNed(ctx, r, source)
	case ExportsLocation:
		return f.readExports(ctx, r, source)
	}
	if isZIPLocation(r.Location) || format == FormatEFormsZIP {
		return f.readZIPLocation(ctx, r, source)
	}
	if query, ok := strings.CutPrefix(strings.TrimSpace(r.Location), TEDScheme); ok {
		if r.Untrusted {
			return Document{}, &RefusedError{URL: r.Location, Rule: text.N("only the operator can configure TED queries")}
		}
		notices, err := FetchTED(ctx, f.client, f.tedURL, TEDQuery{Query: query}, maxPages, source)
		return Document{Notices: notices}, err
	}
	var doc Document
	seenNotices := map[string]bool{}
	seenPages := map[string]bool{}
	page := r
	for n := 1; ; n++ {
		resp, err := f.get(ctx, page) // unwrapped: the caller names the location
		if err != nil {
			return Document{}, pageError(n, page.Location, err)
		}
		if n == 1 {
			doc.Response = resp
			if resp.NotModified {
				return doc, nil
			}
		}
		if n == 1 && r.JoinDetails {
			if joined, ok, err := f.joinTenderNed(ctx, page.Location, resp.Body, format, source); ok {
				joined.Response = resp
				return joined, err
			}
		}
		notices, problems, err := f.parseBody(resp.Body, format, source)
		if err != nil {
			return Document{}, pageError(n, page.Location, err)
		}
		doc.Problems = append(doc.Problems, problems...)
		for _, notice := range notices {
			if !seenNotices[notice.ID] { // a notice may move to the next page while we read
				seenNotices[notice.ID] = true
				doc.Notices = append(doc.Notices, notice)
			}
		}
		seenPages[page.Location] = true
		next := nextPage(page.Location, NextPage(resp.Body))
		switch {
		case next == "" || seenPages[next]:
			return doc, nil
		case n == maxPages:
			doc.More = next
			return doc, nil
		}
		page = Request{Location: next, Untrusted: r.Untrusted}
	}
}

// pageError names the page of an error after the first.
func pageError(n int, page string, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("page %d (%s): %w", n, Redact(page), err)
}

// nextPage resolves the next-page link of the document at current. Only a
// web document pages, and only to another web address: a document from the
// web must not make us read local files.
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
