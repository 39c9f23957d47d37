package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Germany's Bekanntmachungsservice (oeffentlichevergabe.de) publishes each
// publication day's notices as one export, an eForms ZIP of about a
// thousand notices on a working day. A day is complete once it is over:
// the source reads yesterday's export once, and today's again now and
// then while the day lasts.

// ExportsLocation is the feed location of the German export source
// (TENDERBOT_FEEDS=de).
const ExportsLocation = "de"

// ExportsAPIURL is the address of the German notice export service.
const ExportsAPIURL = "https://oeffentlichevergabe.de/api/notice-exports"

// todayExportEvery is how often today's export, still growing, is read
// again.
const todayExportEvery = 3 * time.Hour

// exportsStatePrefix marks the state of the export source in the feed's
// validator, as tnStatePrefix does for TenderNed.
const exportsStatePrefix = "de/1 "

// exportsState is what the export source remembers between polls.
type exportsState struct {
	// Complete is the last day whose export was read after the day was
	// over, as every day before it.
	Complete string `json:"complete,omitempty"`
	// Today is the day of the last read of a day's export while it
	// lasted, TodayAt when, and TodayCount its notices.
	Today      string    `json:"today,omitempty"`
	TodayAt    time.Time `json:"today_at,omitzero"`
	TodayCount int       `json:"today_count,omitempty"`
}

func decodeExportsState(etag string) exportsState {
	var s exportsState
	if rest, ok := strings.CutPrefix(etag, exportsStatePrefix); ok {
		if json.Unmarshal([]byte(rest), &s) != nil {
			s = exportsState{}
		}
	}
	return s
}

func (s exportsState) encode() string {
	data, _ := json.Marshal(s) // strings and a time: cannot fail
	return exportsStatePrefix + string(data)
}

// readExports polls the German export service: the export of every day
// after the last complete one (from yesterday on a first poll, at most
// maxBackfillDays back), and today's when it was not read for
// todayExportEvery. A day without an export (404: nothing was published)
// is complete and empty. The poll fails only when nothing could be read.
func (f *Fetcher) readExports(ctx context.Context, r Request, source string) (Document, error) {
	state := decodeExportsState(r.ETag)
	now := f.now()
	local := now.In(zoneBerlin)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if state.Complete == "" {
		state.Complete = today.AddDate(0, 0, -2).Format(time.DateOnly)
	}
	first := today.AddDate(0, 0, -maxBackfillDays)
	if c, err := time.Parse(time.DateOnly, state.Complete); err == nil && c.After(first) {
		first = c.AddDate(0, 0, 1)
	}
	var doc Document
	var firstErr error
	read := 0
	advancing := true
	seen := map[string]bool{}
	for day := first; !day.After(today); day = day.AddDate(0, 0, 1) {
		date := day.Format(time.DateOnly)
		isToday := day.Equal(today)
		if isToday && state.Today == date && now.Sub(state.TodayAt) < todayExportEvery {
			continue
		}
		if !hasTime(ctx) {
			doc.Problems = append(doc.Problems, fmt.Sprintf("export of %s: not read this round (no time left)", date))
			break
		}
		part, err := f.readExport(ctx, date, source)
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			doc.Problems = append(doc.Problems, fmt.Sprintf("export of %s: %v", date, err))
			advancing = false
			continue
		}
		read++
		for _, n := range part.Notices {
			if !seen[n.ID] { // a notice exported on two days is one notice
				seen[n.ID] = true
				doc.Notices = append(doc.Notices, n)
			}
		}
		doc.Problems = append(doc.Problems, part.Problems...)
		if isToday {
			state.Today, state.TodayAt, state.TodayCount = date, now.UTC(), len(part.Notices)
		} else if advancing {
			state.Complete = date
		}
	}
	if read == 0 && firstErr != nil {
		return Document{}, firstErr
	}
	doc.ETag = state.encode()
	h := &bot.SourceHealth{LastCompleteDay: state.Complete}
	if state.Today == today.Format(time.DateOnly) {
		h.ReadToday = state.TodayCount
	}
	doc.Source = h
	return doc, nil
}

// readExport reads the eForms export of one day; a day without one is
// empty.
func (f *Fetcher) readExport(ctx context.Context, date, source string) (Document, error) {
	u, err := url.Parse(f.exportsURL)
	if err != nil {
		return Document{}, fmt.Errorf("the export service address %q is no URL: %w", Redact(f.exportsURL), err)
	}
	q := u.Query()
	q.Set("pubDay", date)
	q.Set("format", "eforms.zip")
	u.RawQuery = q.Encode()
	doc, err := f.readZIPLocation(ctx, Request{Location: u.String()}, source)
	var status *StatusError
	if errors.As(err, &status) && status.Status == http.StatusNotFound {
		return Document{}, nil
	}
	return doc, err
}

// isZIPLocation reports whether a location names a ZIP archive: a path
// ending in .zip, or a query asking for a ZIP format (format=eforms.zip).
func isZIPLocation(location string) bool {
	u, err := url.Parse(strings.TrimSpace(location))
	if err != nil {
		return strings.HasSuffix(strings.ToLower(location), ".zip")
	}
	if strings.HasSuffix(strings.ToLower(u.Path), ".zip") {
		return true
	}
	return (u.Scheme == "http" || u.Scheme == "https") && strings.HasSuffix(strings.ToLower(u.Query().Get("format")), ".zip")
}

// readZIPLocation reads the eForms ZIP archive at r.Location: a local file
// as it lies, a web archive downloaded to a temporary file first (at most
// MaxZIPBytes), never into memory. Skipped entries are the document's
// problems; an archive none of whose entries could be read is an error.
func (f *Fetcher) readZIPLocation(ctx context.Context, r Request, source string) (Document, error) {
	file, remove, err := f.openZIP(ctx, r)
	if err != nil {
		return Document{}, err
	}
	defer remove()
	info, err := file.Stat()
	if err != nil {
		return Document{}, err
	}
	notices, problems, err := parseZIP(file, info.Size(), source, defaultZIPLimits)
	if err != nil {
		return Document{}, err
	}
	return Document{Notices: notices, Problems: problems}, nil
}

// openZIP opens the archive at r.Location, downloading it when it is on
// the web; remove closes it and deletes what the download left.
func (f *Fetcher) openZIP(ctx context.Context, r Request) (file *os.File, remove func(), err error) {
	location := strings.TrimSpace(r.Location)
	u, perr := url.Parse(location)
	if perr != nil || u.Scheme != "http" && u.Scheme != "https" {
		path := location
		if perr == nil && u.Scheme == "file" {
			path = u.Path
		}
		file, err := os.Open(path)
		if err != nil {
			var pathErr *os.PathError
			if errors.As(err, &pathErr) {
				err = pathErr.Err // the caller names the location
			}
			return nil, nil, err
		}
		return file, func() { file.Close() }, nil
	}
	if r.Untrusted {
		if err := f.guard.CheckURL(ctx, location); err != nil {
			return nil, nil, err
		}
	}
	resp, release, err := f.openHTTP(ctx, u, r)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	defer resp.Body.Close()
	tmp, err := os.CreateTemp("", "tenderbot-export-*.zip")
	if err != nil {
		return nil, nil, fmt.Errorf("keep the archive: %w", err)
	}
	remove = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, MaxZIPBytes+1))
	switch {
	case err != nil:
		remove()
		return nil, nil, fmt.Errorf("read: %w", inWords(err))
	case n > MaxZIPBytes:
		remove()
		return nil, nil, fmt.Errorf("%w of %s", errTooLarge, byteSize(MaxZIPBytes))
	}
	return tmp, remove, nil
}
