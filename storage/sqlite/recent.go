package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// alertWindow is how far back recentAlerts remembers: the hourly cap's
// hour, and a margin for a clock that moves on while a fan-out runs.
const alertWindow = 2 * time.Hour

// recentAlerts remembers when each subscriber's alerts of the last
// alertWindow were made, so that the hourly cap of every recipient of a
// fan-out is read from memory. The alternative, an index over the outbox by
// subscriber, takes a write at a random place of a large index for every
// alert, and was the largest cost of a fan-out. The store is the only
// writer of its file, so what it remembers is complete: it is loaded at
// Open from the alerts made since then, and told of every alert a
// transaction commits.
//
// A time is kept as its Unix nanoseconds, 8 bytes where a time.Time takes
// 24: at a million subscribers and millions of alerts an hour, the times
// are most of what the store remembers.
type recentAlerts struct {
	mu    sync.Mutex
	since time.Time                  // every alert made since is remembered
	swept time.Time                  // when what fell out of the window was last dropped for everyone
	made  map[bot.Subscriber][]int64 // each subscriber's alerts' UnixNano, oldest first
}

// madeAlert is an alert a transaction wrote, to be remembered once it
// commits.
type madeAlert struct {
	to bot.Subscriber
	at time.Time
}

// loadRecentAlerts reads the alerts made since now less alertWindow.
func loadRecentAlerts(ctx context.Context, db *sql.DB, now time.Time) (*recentAlerts, error) {
	r := &recentAlerts{since: now.Add(-alertWindow), swept: now, made: map[bot.Subscriber][]int64{}}
	rows, err := db.QueryContext(ctx, `
		SELECT platform, workspace, user_id, channel_id, created_at FROM outbox
		WHERE purpose = 'alert' AND created_at >= ? ORDER BY created_at`, formatTime(r.since))
	if err != nil {
		return nil, fmt.Errorf("recent alerts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sub bot.Subscriber
		var made string
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel, &made); err != nil {
			return nil, fmt.Errorf("recent alerts: %w", err)
		}
		at, err := parseTime(made)
		if err != nil {
			return nil, fmt.Errorf("recent alerts: %w", err)
		}
		r.made[sub] = append(r.made[sub], at.UnixNano())
	}
	return r, rows.Err()
}

// add remembers alerts that were committed.
func (r *recentAlerts) add(alerts []madeAlert) {
	if len(alerts) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range alerts {
		at := a.at.UnixNano()
		times := r.made[a.to]
		i, _ := slices.BinarySearch(times, at)
		r.made[a.to] = slices.Insert(times, i, at)
	}
}

// counts counts each of subs' alerts made since t; ok is false when t is
// further back than what is remembered. It forgets what falls out of the
// window as it goes, judged by now.
func (r *recentAlerts) counts(subs []bot.Subscriber, t, now time.Time) (map[bot.Subscriber]int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if horizon := now.Add(-alertWindow); horizon.After(r.since) {
		r.since = horizon
	}
	if t.Before(r.since) {
		return nil, false
	}
	if now.Sub(r.swept) > alertWindow {
		for sub := range r.made {
			r.trim(sub)
		}
		r.swept = now
	}
	out := map[bot.Subscriber]int{}
	since := t.UnixNano()
	for _, sub := range subs {
		times := r.trim(sub)
		from, _ := slices.BinarySearch(times, since)
		if n := len(times) - from; n > 0 {
			out[sub] = n
		}
	}
	return out, true
}

// trim drops sub's alerts made before the window and returns the rest.
func (r *recentAlerts) trim(sub bot.Subscriber) []int64 {
	times := r.made[sub]
	if old, _ := slices.BinarySearch(times, r.since.UnixNano()); old > 0 {
		times = slices.Delete(times, 0, old)
		r.made[sub] = times
	}
	if len(times) == 0 {
		delete(r.made, sub)
	}
	return times
}

// forget drops what is remembered of sub.
func (r *recentAlerts) forget(sub bot.Subscriber) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.made, sub)
}
