package web

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tenderbot/tenderbot/bot"
)

// SourceStatus is how a named national source (TenderNed, Germany's
// exports) stands after its last successful poll, as /readyz lists it.
type SourceStatus struct {
	Feed            string         `json:"feed"`
	ReadToday       int            `json:"read_today"`
	DetailsPending  int            `json:"details_pending"`
	UnknownCodes    map[string]int `json:"unknown_codes"`
	LastCompleteDay string         `json:"last_complete_day"`
	PolledAt        time.Time      `json:"polled_at"`
}

// SourceBoard keeps the latest status of each named source from the polls
// the core observes. It is safe for concurrent use.
type SourceBoard struct {
	mu     sync.Mutex
	byFeed map[int64]SourceStatus
}

// record keeps what a successful poll of feed said of its source.
func (b *SourceBoard) record(feed bot.Feed, r bot.PollResult) {
	if r.Err != nil || r.Source == nil {
		return
	}
	codes := make(map[string]int, len(r.Source.UnknownCodes))
	for code, n := range r.Source.UnknownCodes {
		codes[code] = n
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byFeed == nil {
		b.byFeed = map[int64]SourceStatus{}
	}
	b.byFeed[feed.ID] = SourceStatus{
		Feed: feed.Name, ReadToday: r.Source.ReadToday, DetailsPending: r.Source.DetailsPending,
		UnknownCodes: codes, LastCompleteDay: r.Source.LastCompleteDay, PolledAt: r.At.UTC(),
	}
}

// Sources returns every named source's status, by feed name.
func (b *SourceBoard) Sources() []SourceStatus {
	b.mu.Lock()
	out := make([]SourceStatus, 0, len(b.byFeed))
	for _, s := range b.byFeed {
		out = append(out, s)
	}
	b.mu.Unlock()
	slices.SortFunc(out, func(a, b SourceStatus) int { return strings.Compare(a.Feed, b.Feed) })
	return out
}

var (
	sourceReadDesc    = prometheus.NewDesc("tenderbot_source_read_today", "Notices of today's publication day a named source has read.", []string{"feed"}, nil)
	sourcePendingDesc = prometheus.NewDesc("tenderbot_source_details_pending", "Publications of a named source whose detail (CPV and NUTS codes) is still to be read.", []string{"feed"}, nil)
	sourceUnknownDesc = prometheus.NewDesc("tenderbot_source_unknown_codes", "Notices of a named source whose type code is not known, by code.", []string{"feed", "code"}, nil)
	sourceDayDesc     = prometheus.NewDesc("tenderbot_source_last_complete_day_timestamp_seconds", "Start (UTC) of the last publication day a named source read in full.", []string{"feed"}, nil)
)

// sourceCollector reads the board at each scrape.
type sourceCollector struct{ board *SourceBoard }

func (c sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sourceReadDesc
	ch <- sourcePendingDesc
	ch <- sourceUnknownDesc
	ch <- sourceDayDesc
}

func (c sourceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.board.Sources() {
		ch <- prometheus.MustNewConstMetric(sourceReadDesc, prometheus.GaugeValue, float64(s.ReadToday), s.Feed)
		ch <- prometheus.MustNewConstMetric(sourcePendingDesc, prometheus.GaugeValue, float64(s.DetailsPending), s.Feed)
		for code, n := range s.UnknownCodes {
			ch <- prometheus.MustNewConstMetric(sourceUnknownDesc, prometheus.GaugeValue, float64(n), s.Feed, code)
		}
		if day, err := time.Parse(time.DateOnly, s.LastCompleteDay); err == nil {
			ch <- prometheus.MustNewConstMetric(sourceDayDesc, prometheus.GaugeValue, float64(day.Unix()), s.Feed)
		}
	}
}
