package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tenderbot/tenderbot/bot"
)

// fixedCore reports a fixed readiness and fixed stats.
type fixedCore struct {
	problems []string
	warnings []string
	stats    bot.StoreStats
	err      error
}

func (c fixedCore) Readiness(context.Context) []string { return c.problems }

func (c fixedCore) Warnings() []string { return c.warnings }

func (c fixedCore) Stats(context.Context) (bot.StoreStats, error) { return c.stats, c.err }

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name     string
		problems []string
		code     int
	}{
		{"ready", nil, http.StatusOK},
		{"not ready", []string{"feeds: the first poll has not finished"}, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core := fixedCore{problems: tt.problems}
			code, body := get(t, New(core, prometheus.NewRegistry(), nil), "/readyz")
			if code != tt.code {
				t.Errorf("status: got %d, want %d", code, tt.code)
			}
			var got readiness
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %q is not JSON: %v", body, err)
			}
			if got.Ready != (tt.problems == nil) || len(got.NotReady) != len(tt.problems) {
				t.Errorf("body: got %+v, want ready=%v naming %q", got, tt.problems == nil, tt.problems)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	code, body := get(t, New(fixedCore{}, prometheus.NewRegistry(), nil), "/healthz")
	if code != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("got %d %q, want 200 ok", code, body)
	}
}

func TestMetricsExposeObservations(t *testing.T) {
	reg := prometheus.NewRegistry()
	core := fixedCore{stats: bot.StoreStats{Profiles: 3, Notices: 20, Pending: 2, OldestDue: time.Now().Add(-time.Minute)}}
	m := NewMetrics(reg, core, nil)
	m.FeedPolled(bot.Feed{}, bot.PollResult{})
	m.FeedPolled(bot.Feed{}, bot.PollResult{NotModified: true})
	m.FeedPolled(bot.Feed{}, bot.PollResult{Err: errors.New("502")})
	m.NoticeIngested("Example feed", bot.KindEarly, "new")
	m.Matched(250*time.Microsecond, 2)
	m.Delivered(bot.PlatformSlack, bot.OutcomeRateLimited)
	m.Delivered(bot.PlatformSlack, bot.OutcomeSent)
	m.EventPublished(12)
	m.RSVP("going")
	m.RSVP("waitlisted")

	_, body := get(t, New(core, reg, nil), "/metrics")
	for _, want := range []string{
		`tenderbot_feed_polls_total{outcome="ok"} 1`,
		`tenderbot_feed_polls_total{outcome="not_modified"} 1`,
		`tenderbot_feed_polls_total{outcome="failed"} 1`,
		`tenderbot_notices_ingested_total{kind="early",outcome="new",source="Example feed"} 1`,
		`tenderbot_match_duration_seconds_count 1`,
		`tenderbot_deliveries_total{outcome="sent",platform="slack"} 1`,
		`tenderbot_rate_limited_total{platform="slack"} 1`,
		`tenderbot_events_published_total 1`,
		`tenderbot_event_invites_total 12`,
		`tenderbot_rsvps_total{status="going"} 1`,
		`tenderbot_rsvps_total{status="waitlisted"} 1`,
		`tenderbot_profiles 3`,
		`tenderbot_outbox_depth 2`,
		`tenderbot_outbox_oldest_due_age_seconds 6`, // 60.x seconds
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestServeShutsDownWhenContextEnds(t *testing.T) {
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(fixedCore{}, prometheus.NewRegistry(), nil).Serve(ctx, l, time.Second) }()
	resp, err := http.Get("http://" + l.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := Listen(l.Addr().String()); err != nil {
		t.Errorf("the port is still taken after shutdown: %v", err)
	}
}

// TestReadyzWarnings shows what the operator should fix on /readyz without
// calling the bot unready: it still runs, and still answers 200.
func TestReadyzWarnings(t *testing.T) {
	warning := "admins: none configured; nobody on Slack can grant roles until TENDERBOT_ADMINS is set"
	core := fixedCore{warnings: []string{warning}}
	code, body := get(t, New(core, prometheus.NewRegistry(), nil), "/readyz")
	if code != http.StatusOK {
		t.Errorf("status: got %d, want %d", code, http.StatusOK)
	}
	var got readiness
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	if !got.Ready || len(got.Warnings) != 1 || got.Warnings[0] != warning {
		t.Errorf("body: got %+v, want ready with the warning %q", got, warning)
	}
}

// TestSourcesOnReadyzAndMetrics polls a named source through the metrics,
// as the core reports it, and finds its status on /readyz and in /metrics;
// a failed poll keeps the last status, a feed with none is not listed.
func TestSourcesOnReadyzAndMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, fixedStats{}, nil)
	tn := bot.Feed{ID: 1, Name: "TenderNed"}
	at := time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC)
	m.FeedPolled(tn, bot.PollResult{At: at, Source: &bot.SourceHealth{ReadToday: 230, DetailsPending: 1,
		UnknownCodes: map[string]int{"XYZ": 2}, LastCompleteDay: "2026-10-09"}})
	m.FeedPolled(tn, bot.PollResult{At: at.Add(time.Hour), Err: errors.New("server answered 502 Bad Gateway")})
	m.FeedPolled(bot.Feed{ID: 2, Name: "rss"}, bot.PollResult{At: at})
	s := New(fixedCore{}, reg, nil)
	s.ShowSources(m.Sources())

	_, body := get(t, s, "/readyz")
	var got readiness
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	want := []SourceStatus{{Feed: "TenderNed", ReadToday: 230, DetailsPending: 1, UnknownCodes: map[string]int{"XYZ": 2}, LastCompleteDay: "2026-10-09", PolledAt: at}}
	if !reflect.DeepEqual(got.Sources, want) {
		t.Errorf("/readyz sources: got %+v, want %+v", got.Sources, want)
	}
	_, metrics := get(t, s, "/metrics")
	for _, line := range []string{
		`tenderbot_source_read_today{feed="TenderNed"} 230`,
		`tenderbot_source_details_pending{feed="TenderNed"} 1`,
		`tenderbot_source_unknown_codes{code="XYZ",feed="TenderNed"} 2`,
		`tenderbot_source_last_complete_day_timestamp_seconds{feed="TenderNed"} 1.791504e+09`,
	} {
		if !strings.Contains(metrics, line) {
			t.Errorf("/metrics lacks %s", line)
		}
	}
}

// fixedStats are a store's counts, all zero.
type fixedStats struct{}

func (fixedStats) Stats(context.Context) (bot.StoreStats, error) { return bot.StoreStats{}, nil }
