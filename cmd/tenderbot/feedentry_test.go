package main

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
)

func TestFeedSourcesFromEntries(t *testing.T) {
	got := feedSources([]string{" tenderned ", "de", "https://ted.example/rss.xml kind=tender", "feeds/my feed.xml kind=early", "ted:notice-type=pmc"})
	want := []bot.FeedSource{
		{URL: "tenderned", Name: "TenderNed"},
		{URL: "de", Name: "Bekanntmachungsservice (DE)"},
		{URL: "https://ted.example/rss.xml", Name: "https://ted.example/rss.xml", Kind: bot.KindTender},
		{URL: "feeds/my feed.xml", Name: "feeds/my feed.xml", Kind: bot.KindEarly},
		{URL: "ted:notice-type=pmc", Name: "ted:notice-type=pmc"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := feedSources(nil); len(got) != 1 || got[0].URL != feeds.ExampleFeedURL {
		t.Errorf("no entries: got %+v, want the example feed", got)
	}
}

func TestFeedEntryWithKindIsLoggedRedacted(t *testing.T) {
	cfg := Config{Feeds: []string{"https://desk:s3cret@feeds.example/rss.xml?token=abc kind=tender"}}
	logged := cfg.LogValue().String()
	if strings.Contains(logged, "s3cret") || strings.Contains(logged, "abc") || !strings.Contains(logged, "feeds.example") {
		t.Errorf("logged %s; want the feed without its credentials", logged)
	}
}
