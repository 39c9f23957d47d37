package feeds

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// The named sources: national services read by publication day rather than
// fetched as one document, each behind a base address the operator
// configures (FetcherOptions.TenderNedURL, ExportsURL).

// IsNamedSource reports whether location names a built-in national source
// ("tenderned", "de") rather than an address.
func IsNamedSource(location string) bool {
	switch strings.ToLower(strings.TrimSpace(location)) {
	case TenderNedLocation, ExportsLocation:
		return true
	}
	return false
}

// SourceName is the name a feed location is shown by: the named sources'
// own names, any other location without its credentials.
func SourceName(location string) string {
	switch strings.ToLower(strings.TrimSpace(location)) {
	case TenderNedLocation:
		return "TenderNed"
	case ExportsLocation:
		return "Bekanntmachungsservice (DE)"
	}
	return Redact(location)
}

// PreviewNamed reads a little of a named source, for a partner who proposes
// it: the first page of yesterday's TenderNed list, without details (a
// preview must not cost a request per publication), or yesterday's German
// export. Its format is the source's name.
func (f *Fetcher) PreviewNamed(ctx context.Context, location string) (format string, notices []bot.Notice, err error) {
	location = strings.ToLower(strings.TrimSpace(location))
	yesterday := f.now().AddDate(0, 0, -1)
	switch location {
	case TenderNedLocation:
		date := yesterday.In(zoneAmsterdam).Format(time.DateOnly)
		q := url.Values{"publicatieDatumVanaf": {date}, "publicatieDatumTot": {date}}
		pubs, _, err := f.tenderNedList(ctx, f.tenderNedURL, q, 1)
		if err != nil {
			return "", nil, fmt.Errorf("TenderNed: %w", err)
		}
		for _, p := range pubs {
			if tn, ok := (tnDetail{tnPublication: p}).notice(SourceName(location), true); ok {
				notices = append(notices, tn.Notice)
			}
		}
		return string(FormatTenderNed), notices, nil
	case ExportsLocation:
		doc, err := f.readExport(ctx, yesterday.In(zoneBerlin).Format(time.DateOnly), SourceName(location))
		if err != nil {
			return "", nil, fmt.Errorf("export service: %w", err)
		}
		return string(FormatEFormsZIP), doc.Notices, nil
	}
	return "", nil, fmt.Errorf("%q is no named source; the named sources are %s and %s", location, TenderNedLocation, ExportsLocation)
}
