package main

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzConfig reads any value of the variables whose parsing is the bot's
// own (durations in days, lists of subscribers, keys, URLs, times): it
// never panics, and a configuration it accepts is one the bot can start
// with.
func FuzzConfig(f *testing.F) {
	for _, seed := range [][2]string{
		{"RETENTION", "400d"}, {"RETENTION", "-1d"}, {"RETENTION", "99999999999999d"},
		{"ADMINS", "slack:T0123:U0456,discord:discord:1"}, {"ADMINS", "slack::"},
		{"EVENT_CHANNELS", "slack:T1:C1"}, {"DISCORD_PUBLIC_KEY", "zz"},
		{"SLACK_API_URL", "https://u:p@x/?token=1"}, {"DIGEST_TIME", "25:61"}, {"DIGEST_WEEKDAY", "Monday"},
		{"POLL_INTERVAL", "1ns"}, {"FEED_ROUND_BUDGET", "1s"}, {"FEED_WORKERS", "-3"}, {"TIMEZONE", "Mars/Olympus"},
		{"PUBLIC_URL", "javascript:alert(1)"}, {"FEEDS", "ted:x,,file:///etc"},
	} {
		f.Add(seed[0], seed[1])
	}
	names := map[string]bool{}
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		if key := typ.Field(i).Tag.Get("envconfig"); key != "" {
			names[key] = true
		}
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if !names[name] || strings.ContainsRune(value, 0) {
			return
		}
		t.Setenv(envPrefix+"_"+name, value)
		cfg, err := loadConfig()
		if err != nil {
			return
		}
		if cfg.location == nil {
			t.Errorf("%s=%q accepted without a time zone", name, value)
		}
		if cfg.FeedWorkers < 1 || cfg.PollInterval <= 0 || cfg.FetchTimeout <= 0 {
			t.Errorf("%s=%q accepted with workers %d, interval %s, timeout %s", name, value, cfg.FeedWorkers, cfg.PollInterval, cfg.FetchTimeout)
		}
	})
}
