package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TenderNedLocation is the feed location of the TenderNed source
// (TENDERBOT_FEEDS=tenderned): the publications API, read by day.
const TenderNedLocation = "tenderned"

const (
	// tenderNedPageSize is the largest page the API accepts.
	tenderNedPageSize = 100
	// tenderNedMaxPages bounds the pages of one day's list (a day has a
	// few hundred publications).
	tenderNedMaxPages = 50
	// maxBackfillDays is how many days back a source catches up after an
	// outage; older days are for TenderNed's yearly open-data dumps.
	maxBackfillDays = 14
	// maxDetailAttempts is how many polls try a publication's detail
	// before its codes are left unknown for good (a withdrawn publication
	// keeps answering 404).
	maxDetailAttempts = 10
	// detailTries is how often one poll asks for a detail that got 429
	// or 5xx.
	detailTries = 3
	// maxRetryWait caps the wait before a detail is asked again.
	maxRetryWait = 30 * time.Second
	// budgetReserve is the time a poll keeps for itself at the end of its
	// budget: no request starts later than that.
	budgetReserve = 3 * time.Second
	// morePendingIn is how soon a source whose details did not all fit
	// in a round is read again.
	morePendingIn = time.Minute
)

// tnStatePrefix marks the state of the TenderNed source in the feed's
// validator: the named source has no HTTP validators of its own, and the
// feed store keeps this field from one poll to the next.
const tnStatePrefix = "tenderned/1 "

// tnState is what the TenderNed source remembers between polls.
type tnState struct {
	// Complete is the last day read in full, as every day before it.
	Complete string `json:"complete,omitempty"`
	// Days are the days after Complete read so far, by date.
	Days map[string]*tnDay `json:"days,omitempty"`
	// Unknown counts the unknown codes seen, by code.
	Unknown map[string]int `json:"unknown,omitempty"`
}

// tnDay is what is known of one publication day after Complete.
type tnDay struct {
	// Full: the whole list was read, and every detail settled.
	Full bool `json:"full,omitempty"`
	// Done are the publications handed on with their detail settled.
	Done []string `json:"done,omitempty"`
	// Failed are the publications handed on without codes, their detail
	// to be tried again, with the polls that tried it.
	Failed map[string]int `json:"failed,omitempty"`
	// Listed is how many publications the day's list held at its last
	// read.
	Listed int `json:"listed,omitempty"`
}

// decodeTNState reads the state kept in a feed's validator; anything else
// (a first poll, an old value) is a fresh start.
func decodeTNState(etag string) tnState {
	var s tnState
	if rest, ok := strings.CutPrefix(etag, tnStatePrefix); ok {
		if json.Unmarshal([]byte(rest), &s) != nil {
			s = tnState{}
		}
	}
	if s.Days == nil {
		s.Days = map[string]*tnDay{}
	}
	return s
}

func (s tnState) encode() string {
	data, _ := json.Marshal(s) // maps and strings only: cannot fail
	return tnStatePrefix + string(data)
}

// day returns the state of date, made when missing.
func (s *tnState) day(date string) *tnDay {
	d := s.Days[date]
	if d == nil {
		d = &tnDay{}
		s.Days[date] = d
	}
	return d
}

// daysToRead are the days after Complete up to today, at most
// maxBackfillDays of them. A first poll starts the source: it reads today,
// taking the days before as read.
func (s *tnState) daysToRead(today time.Time) []string {
	if s.Complete == "" {
		s.Complete = today.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	first := today.AddDate(0, 0, -(maxBackfillDays - 1))
	if c, err := time.Parse(time.DateOnly, s.Complete); err == nil && !c.AddDate(0, 0, 1).Before(first) {
		first = c.AddDate(0, 0, 1)
	}
	var days []string
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days
}

// advance moves Complete over the full days that follow it, and forgets
// days before the back-fill window.
func (s *tnState) advance(days []string) {
	for _, d := range days {
		if ds := s.Days[d]; ds == nil || !ds.Full {
			break
		}
		s.Complete = d
	}
	for d := range s.Days {
		if d <= s.Complete || len(days) > 0 && d < days[0] {
			delete(s.Days, d)
		}
	}
}

func (d *tnDay) done(id string) bool { return slices.Contains(d.Done, id) }

// tnRound is one poll of the TenderNed source.
type tnRound struct {
	f       *Fetcher
	base    string
	source  string
	notices []bot.Notice
	todo    int  // details not tried this round
	stopped bool // the host asked to wait, or the budget ran out
	unknown map[string]int
}

// readTenderNed polls the TenderNed publications API: every day from the
// last complete one to today (Europe/Amsterdam), each day's list page by
// page to its end, and the detail of each publication not handed on
// before. The state between polls travels in r.ETag and comes back in the
// document's ETag. A day that could not be read is retried next poll;
// the poll fails only when nothing could be read.
func (f *Fetcher) readTenderNed(ctx context.Context, r Request, source string) (Document, error) {
	state := decodeTNState(r.ETag)
	now := f.now().In(zoneAmsterdam)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	todayDate := today.Format(time.DateOnly)
	days := state.daysToRead(today)
	round := &tnRound{f: f, base: f.tenderNedURL, source: source, unknown: state.Unknown}
	if round.unknown == nil {
		round.unknown = map[string]int{}
	}
	var doc Document
	var firstErr error
	read := 0
	for _, date := range days {
		ds := state.day(date)
		if ds.Full {
			continue
		}
		if round.stopped || !hasTime(ctx) {
			doc.Problems = append(doc.Problems, fmt.Sprintf("TenderNed %s: not read this round (the host asked to wait, or the round ran out of time)", date))
			continue
		}
		q := url.Values{"publicatieDatumVanaf": {date}, "publicatieDatumTot": {date}}
		pubs, total, err := f.tenderNedList(ctx, round.base, q, -1)
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			doc.Problems = append(doc.Problems, fmt.Sprintf("TenderNed %s: %v", date, err))
			var throttled *ThrottledError
			round.stopped = round.stopped || errors.As(err, &throttled)
			continue
		}
		read++
		allDone := round.settle(ctx, pubs, ds)
		ds.Listed = len(pubs)
		short := len(pubs) < total
		switch {
		case short && date == todayDate:
			// Today is still being published: the rest comes next poll.
		case short:
			doc.Problems = append(doc.Problems, fmt.Sprintf("TenderNed %s: read %d of the %d publications the list counts; read again next poll", date, len(pubs), total))
		case date < todayDate && allDone:
			ds.Full, ds.Done = true, nil
		}
	}
	if read == 0 && firstErr != nil {
		return Document{}, firstErr
	}
	state.Unknown = round.unknown
	state.advance(days)
	doc.Notices = round.notices
	doc.ETag = state.encode()
	if round.todo > 0 {
		doc.PublishesIn = morePendingIn
	}
	doc.Source = state.health(todayDate, round.todo)
	return doc, nil
}

// health is how the source stands after a poll.
func (s tnState) health(today string, todo int) *bot.SourceHealth {
	h := &bot.SourceHealth{DetailsPending: todo, LastCompleteDay: s.Complete, UnknownCodes: s.Unknown}
	for date, d := range s.Days {
		h.DetailsPending += len(d.Failed)
		if date == today {
			h.ReadToday = d.Listed
		}
	}
	return h
}

// settle fetches the details of a day's publications not handed on yet,
// and of those handed on without codes, and hands on what they make. It
// reports whether every publication of pubs is settled.
func (r *tnRound) settle(ctx context.Context, pubs []tnPublication, ds *tnDay) (allDone bool) {
	if ds.Failed == nil {
		ds.Failed = map[string]int{}
	}
	listed := map[string]bool{}
	for _, p := range pubs {
		id := p.PublicatieID.String()
		listed[id] = true
		if ds.done(id) {
			continue
		}
		attempts, failedBefore := ds.Failed[id]
		if r.stopped || !hasTime(ctx) {
			r.stopped = true
			if !failedBefore {
				r.todo++
			}
			continue
		}
		d, err := r.f.tenderNedDetail(ctx, r.base, id)
		var throttled *ThrottledError
		switch {
		case err == nil:
			d.tnPublication = p // the list entry is what was published today
			tn, _ := d.notice(r.source, false)
			r.handOn(tn, !failedBefore)
			ds.Done = append(ds.Done, id)
			delete(ds.Failed, id)
			continue
		case ctx.Err() != nil || errors.As(err, &throttled):
			// Not the publication's failure: the round's time is up, or
			// the host asks to wait.
			r.stopped = true
			if !failedBefore {
				r.todo++
			}
			continue
		}
		if !failedBefore {
			tn, _ := tnDetail{tnPublication: p}.notice(r.source, true)
			r.handOn(tn, true)
		}
		if attempts+1 >= maxDetailAttempts {
			ds.Done = append(ds.Done, id)
			delete(ds.Failed, id)
		} else {
			ds.Failed[id] = attempts + 1
		}
	}
	for id := range ds.Failed {
		if !listed[id] {
			delete(ds.Failed, id) // withdrawn from the list
		}
	}
	for id := range listed {
		if !ds.done(id) {
			return false
		}
	}
	return true
}

// handOn adds a notice to the round's; first says it is handed on for
// the first time, so its unknown code counts.
func (r *tnRound) handOn(tn TenderNedNotice, first bool) {
	if first && tn.UnknownCode != "" {
		r.unknown[tn.UnknownCode]++
	}
	r.notices = append(r.notices, tn.Notice)
}

// hasTime reports whether ctx leaves time for another request.
func hasTime(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > budgetReserve
}

// cmpOr returns a when it is not nil, else b.
func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// tenderNedList reads a list of publications from base with the query q,
// page after page from page 0 to its end (or maxPages pages; -1 means
// tenderNedMaxPages), each publication once, and the count the list gives
// of them.
func (f *Fetcher) tenderNedList(ctx context.Context, base string, q url.Values, maxPages int) (pubs []tnPublication, total int, err error) {
	if maxPages < 0 {
		maxPages = tenderNedMaxPages
	}
	q = cloneValues(q)
	q.Set("size", strconv.Itoa(tenderNedPageSize))
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		q.Set("page", strconv.Itoa(page))
		resp, err := f.get(ctx, Request{Location: base + "?" + q.Encode()})
		if err != nil {
			return nil, 0, fmt.Errorf("list page %d: %w", page, err)
		}
		p, err := parseTNPage(resp.Body)
		if err != nil {
			return nil, 0, fmt.Errorf("list page %d: %w", page, err)
		}
		for _, pub := range p.publications {
			if id := pub.PublicatieID.String(); !seen[id] {
				seen[id] = true // the list moved between two pages
				pubs = append(pubs, pub)
			}
		}
		if n, ok := p.TotalElements.Int(); ok {
			total = n // the last page's count is the newest
		}
		pages, ok := p.TotalPages.Int()
		if len(p.Content) == 0 || ok && page+1 >= pages || !ok && len(p.Content) < tenderNedPageSize {
			break
		}
	}
	return pubs, total, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// tenderNedDetail fetches the detail of publication id from base, asking
// again after a 429 or 5xx (after Retry-After, or a wait that doubles), as
// long as the context leaves time.
func (f *Fetcher) tenderNedDetail(ctx context.Context, base, id string) (tnDetail, error) {
	wait := f.retryWait
	for try := 1; ; try++ {
		resp, err := f.get(ctx, Request{Location: base + "/" + url.PathEscape(id)})
		if err == nil {
			d, ok := parseTNDetail(resp.Body)
			if !ok {
				return tnDetail{}, fmt.Errorf("detail of %s: not a JSON object", id)
			}
			return d, nil
		}
		var throttled *ThrottledError
		var status *StatusError
		retry := errors.As(err, &throttled) || errors.As(err, &status) && status.Status >= 500
		if !retry || try == detailTries {
			return tnDetail{}, fmt.Errorf("detail of %s: %w", id, err)
		}
		if throttled != nil && throttled.RetryAfter > 0 {
			wait = throttled.RetryAfter
		}
		wait = min(wait, maxRetryWait)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait+budgetReserve {
			return tnDetail{}, fmt.Errorf("detail of %s: %w", id, err)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return tnDetail{}, ctx.Err()
		case <-timer.C:
		}
		wait *= 2
	}
}
