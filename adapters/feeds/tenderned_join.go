package feeds

import (
	"context"
	"fmt"
	"net/url"

	"github.com/tenderbot/tenderbot/bot"
)

// Reading TenderNed once, as `tenderbot ingest` does: a list URL read to
// its last page, or the Atom feed, each publication joined to its detail.

// parseBody parses a document fetched as a feed: an eForms ZIP small
// enough to come as a body, with the entries it skipped as problems, or
// any other format.
func (f *Fetcher) parseBody(body []byte, format Format, source string) ([]bot.Notice, []string, error) {
	if format == FormatEFormsZIP || (format == FormatAuto || format == "") && isZIP(body) {
		return parseZIPBytes(body, source)
	}
	notices, err := ParseFormat(body, format, source)
	return notices, nil, err
}

// joinTenderNed reads what body, the first page fetched from location,
// leads to when it is TenderNed's: a list page from the web is read again
// from its first page to its last, and every publication joined to its
// detail from the same address; a feed whose items link to TenderNed
// notices has them joined to their details from the configured API. ok is
// false when body is neither, and nothing was done.
func (f *Fetcher) joinTenderNed(ctx context.Context, location string, body []byte, format Format, source string) (doc Document, ok bool, err error) {
	detected := format
	if detected == FormatAuto || detected == "" {
		detected = Detect(body)
	}
	switch detected {
	case FormatTenderNed:
		u, perr := url.Parse(location)
		if perr != nil || u.Scheme != "http" && u.Scheme != "https" {
			return Document{}, false, nil
		}
		if !isTenderNedPage(body) {
			return Document{}, false, nil
		}
		q := u.Query()
		q.Del("page")
		q.Del("size")
		u.RawQuery, u.Fragment = "", ""
		doc, err := f.readTenderNedList(ctx, u.String(), q, source)
		return doc, true, err
	case FormatAtom, FormatRSS:
		notices, err := ParseFormat(body, detected, source)
		if err != nil {
			return Document{}, true, err
		}
		for i, n := range notices {
			id := tenderNedID(n.URL)
			if id == "" {
				continue
			}
			d, err := f.tenderNedDetail(ctx, f.tenderNedURL, id)
			if err != nil {
				doc.Problems = append(doc.Problems, fmt.Sprintf("TenderNed publication %s: its codes are unknown: %v", id, err))
				notices[i].ID = tenderNedIDPrefix + id
				continue
			}
			notices[i] = joinDetail(n, d, id, source)
		}
		doc.Notices = notices
		return doc, true, nil
	}
	return Document{}, false, nil
}

// isTenderNedPage reports whether body is a list page, not one
// publication.
func isTenderNedPage(body []byte) bool {
	p, err := parseTNPage(body)
	return err == nil && p.Content != nil
}

// readTenderNedList reads the list at base with query q to its end and
// joins each publication to its detail from base; a publication whose
// detail fails keeps its codes unknown, a problem naming it.
func (f *Fetcher) readTenderNedList(ctx context.Context, base string, q url.Values, source string) (Document, error) {
	pubs, total, err := f.tenderNedList(ctx, base, q, -1)
	if err != nil {
		return Document{}, err
	}
	var doc Document
	if len(pubs) < total {
		doc.Problems = append(doc.Problems, fmt.Sprintf("read %d of the %d publications the list counts (it changed while it was read)", len(pubs), total))
	}
	for _, p := range pubs {
		id := p.PublicatieID.String()
		d, err := f.tenderNedDetail(ctx, base, id)
		codesUnknown := err != nil
		if err != nil {
			doc.Problems = append(doc.Problems, fmt.Sprintf("TenderNed publication %s: its codes are unknown: %v", id, err))
			if ctx.Err() != nil {
				return Document{}, ctx.Err()
			}
		}
		d.tnPublication = p
		tn, _ := d.notice(source, codesUnknown)
		doc.Notices = append(doc.Notices, tn.Notice)
	}
	return doc, nil
}

// joinDetail completes n, read from TenderNed's Atom feed, with the detail
// of its publication: the detail's fields where it has them, the feed's
// where it has not.
func joinDetail(n bot.Notice, d tnDetail, id, source string) bot.Notice {
	if d.PublicatieID.String() == "" {
		d.PublicatieID = tnText(id)
	}
	tn, _ := d.notice(source, false)
	out := tn.Notice
	if d.TypePublicatie == (tnCode{}) && d.Publicatiecode == (tnCode{}) {
		out.Kind = n.Kind // the detail does not say: the feed's words do
	}
	if d.AanbestedingNaam.String() == "" {
		out.Title = n.Title
	}
	if d.OpdrachtBeschrijving.String() == "" {
		out.Description = firstNonEmpty(n.Description, out.Description)
	}
	if d.PublicatieDatum.String() == "" {
		out.Published = n.Published
	}
	if d.SluitingsDatum.String() == "" {
		out.Deadline = n.Deadline
	}
	if d.Link.Href == "" {
		out.URL = n.URL
	}
	if out.Buyer == "" {
		out.Buyer = n.Buyer
	}
	if out.Language == "" || d.AanbestedingNaam.String() == "" {
		out.Language = firstNonEmpty(n.Language, out.Language)
	}
	return out
}
