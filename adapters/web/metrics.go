package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tenderbot/tenderbot/bot"
)

// StatsSource counts what the metrics report at scrape time.
type StatsSource interface {
	Stats(ctx context.Context) (bot.StoreStats, error)
}

// Metrics turns what the core observes into Prometheus metrics. It
// implements bot.Observer.
type Metrics struct {
	feedPolls  *prometheus.CounterVec
	notices    *prometheus.CounterVec
	matchTime  prometheus.Histogram
	deliveries *prometheus.CounterVec
	rateLimits *prometheus.CounterVec
	events     prometheus.Counter
	invites    prometheus.Counter
	rsvps      *prometheus.CounterVec
	sources    *SourceBoard
}

var _ bot.Observer = (*Metrics)(nil)

// NewMetrics registers tenderbot's metrics on reg, with the gauges read
// from stats at each scrape, and Go's runtime and process metrics.
func NewMetrics(reg *prometheus.Registry, stats StatsSource, log *slog.Logger) *Metrics {
	m := &Metrics{
		feedPolls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tenderbot_feed_polls_total",
			Help: "Feed polls by outcome: ok, not_modified or failed.",
		}, []string{"outcome"}),
		notices: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tenderbot_notices_ingested_total",
			Help: "Notices read from feeds by source, kind and outcome (new, updated, quiet).",
		}, []string{"source", "kind", "outcome"}),
		matchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "tenderbot_match_duration_seconds",
			Help:    "Time to match one notice against every profile.",
			Buckets: prometheus.ExponentialBuckets(1e-5, 4, 10), // 10µs to 2.6s
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tenderbot_deliveries_total",
			Help: "Delivery attempts by platform and outcome: sent, rate_limited, retry or failed.",
		}, []string{"platform", "outcome"}),
		rateLimits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tenderbot_rate_limited_total",
			Help: "Sends a chat platform refused with a retry-after (HTTP 429).",
		}, []string{"platform"}),
		events: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tenderbot_events_published_total",
			Help: "Engagement events published.",
		}),
		invites: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tenderbot_event_invites_total",
			Help: "Invitations to events sent to subscribers whose profiles matched.",
		}),
		rsvps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tenderbot_rsvps_total",
			Help: "Answers to events as recorded: going, maybe, not_going or waitlisted.",
		}, []string{"status"}),
		sources: &SourceBoard{},
	}
	reg.MustRegister(m.feedPolls, m.notices, m.matchTime, m.deliveries, m.rateLimits, m.events, m.invites, m.rsvps,
		&statsCollector{stats: stats, log: log}, sourceCollector{board: m.sources},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Sources is the board of the named sources' status the metrics keep,
// for the health page.
func (m *Metrics) Sources() *SourceBoard { return m.sources }

// FeedPolled counts a poll, and keeps how a named source stands.
func (m *Metrics) FeedPolled(feed bot.Feed, r bot.PollResult) {
	m.sources.record(feed, r)
	outcome := "ok"
	switch {
	case r.Err != nil:
		outcome = "failed"
	case r.NotModified:
		outcome = "not_modified"
	}
	m.feedPolls.WithLabelValues(outcome).Inc()
}

// NoticeIngested counts a notice.
func (m *Metrics) NoticeIngested(source string, kind bot.Kind, outcome string) {
	m.notices.WithLabelValues(source, string(kind), outcome).Inc()
}

// Matched records how long a match took.
func (m *Metrics) Matched(took time.Duration, _ int) {
	m.matchTime.Observe(took.Seconds())
}

// Delivered counts a delivery attempt, and a rate limit among them.
func (m *Metrics) Delivered(platform bot.Platform, outcome string) {
	m.deliveries.WithLabelValues(string(platform), outcome).Inc()
	if outcome == bot.OutcomeRateLimited {
		m.rateLimits.WithLabelValues(string(platform)).Inc()
	}
}

// EventPublished counts an event and its invitations.
func (m *Metrics) EventPublished(invites int) {
	m.events.Inc()
	m.invites.Add(float64(invites))
}

// RSVP counts an answer to an event.
func (m *Metrics) RSVP(status string) { m.rsvps.WithLabelValues(status).Inc() }

// statsCollector reads the store's counts at each scrape, so the gauges are
// never stale and cost nothing between scrapes.
type statsCollector struct {
	stats StatsSource
	log   *slog.Logger
}

var (
	profilesDesc = prometheus.NewDesc("tenderbot_profiles", "Profiles stored (and indexed by the matcher).", nil, nil)
	noticesDesc  = prometheus.NewDesc("tenderbot_notices", "Notices stored.", nil, nil)
	outboxDesc   = prometheus.NewDesc("tenderbot_outbox_depth", "Deliveries waiting in the outbox.", nil, nil)
	oldestDesc   = prometheus.NewDesc("tenderbot_outbox_oldest_due_age_seconds", "How long the oldest waiting delivery has been due; 0 when none is.", nil, nil)
)

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- profilesDesc
	ch <- noticesDesc
	ch <- outboxDesc
	ch <- oldestDesc
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.stats.Stats(ctx)
	if err != nil {
		c.log.Error("metrics: read stats", "err", err)
		return
	}
	age := 0.0
	if !st.OldestDue.IsZero() {
		age = max(time.Since(st.OldestDue).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(profilesDesc, prometheus.GaugeValue, float64(st.Profiles))
	ch <- prometheus.MustNewConstMetric(noticesDesc, prometheus.GaugeValue, float64(st.Notices))
	ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age)
}
