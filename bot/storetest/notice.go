package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func noticeTests() []test {
	return []test{
		{"NoticeRoundTrip", testNoticeRoundTrip},
		{"NoticeNotFound", testNoticeNotFound},
		{"SaveNoticeInsertThenUpdate", testSaveNoticeInsertThenUpdate},
		{"SaveNoticeSkipsExistingDeliveryKeys", testSaveNoticeSkipsExistingDeliveryKeys},
		{"FindNoticeByClusterKey", testFindNoticeByClusterKey},
		{"RecentNotices", testRecentNotices},
		{"CountNotices", testCountNotices},
		{"SearchNotices", testSearchNotices},
		{"SearchNoticesIgnoresQuerySyntax", testSearchNoticesIgnoresQuerySyntax},
		{"SearchNoticesRanksTitleFirst", testSearchNoticesRanksTitleFirst},
		{"SearchFollowsUpdates", testSearchFollowsUpdates},
	}
}

// FullNotice returns a notice with every field set, times to the
// nanosecond, for round trips through a store.
func FullNotice() bot.Notice {
	return bot.Notice{
		ID:          "2026/S 045-123456",
		Source:      "TED",
		Title:       "Renovatie sporthal De Sluis",
		Description: "Renovatie van de sporthal, inclusief zonnepanelen op het dak.",
		Language:    "nl",
		Buyer:       "Gemeente Almelo",
		Kind:        bot.KindTender,
		CPV:         []string{"45212225", "09331200"},
		NUTS:        []string{"NL213"},
		Country:     "NL",
		Value:       &bot.Money{Amount: 1250000.5, Currency: "EUR"},
		Deadline:    time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
		Published:   time.Date(2026, 3, 1, 8, 15, 30, 987654321, time.UTC),
		URL:         "https://ted.europa.eu/notice/123456-2026",
		ProcedureID: "proc-1",
		Lots: []bot.Lot{
			{ID: "LOT-0001", Title: "Bouwkundig", CPV: []string{"45212225"}},
			{ID: "LOT-0002", Title: "Installaties"},
		},
		Sources: []bot.SourceLink{
			{Source: "TED", URL: "https://ted.europa.eu/notice/123456-2026"},
			{Source: "TenderNed", URL: "https://www.tenderned.nl/aankondigingen/overzicht/418203"},
		},
	}
}

// saveNotices stores notices without deliveries.
func saveNotices(t *testing.T, s bot.Store, ns ...bot.Notice) {
	t.Helper()
	for _, n := range ns {
		if _, err := s.SaveNotice(context.Background(), n, nil, bot.Effects{}); err != nil {
			t.Fatalf("save %s: %v", n.ID, err)
		}
	}
}

func testNoticeRoundTrip(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	zoned := FullNotice()
	zoned.ID = "zoned"
	cet := time.FixedZone("CET", 3600)
	zoned.Deadline = zoned.Deadline.In(cet)
	zoned.Published = zoned.Published.In(cet)
	tests := []struct {
		name string
		save bot.Notice
		want bot.Notice
	}{
		{"every field", FullNotice(), FullNotice()},
		{"only an id", bot.Notice{ID: "bare"}, bot.Notice{ID: "bare"}},
		{"value of zero stated", bot.Notice{ID: "zero-value", Value: &bot.Money{}}, bot.Notice{ID: "zero-value", Value: &bot.Money{}}},
		{
			"empty lists come back nil",
			bot.Notice{ID: "empty", CPV: []string{}, NUTS: []string{}, Lots: []bot.Lot{}},
			bot.Notice{ID: "empty"},
		},
		{"times come back in UTC", zoned, func() bot.Notice {
			n := zoned
			n.Deadline, n.Published = n.Deadline.UTC(), n.Published.UTC()
			return n
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inserted, err := s.SaveNotice(ctx, tt.save, nil, bot.Effects{})
			if err != nil {
				t.Fatal(err)
			}
			if !inserted {
				t.Error("inserted: got false, want true")
			}
			got, err := s.Notice(ctx, tt.save.ID)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "notice", got, tt.want)
		})
	}
}

func testNoticeNotFound(t *testing.T, s bot.Store, _ *bottest.Clock) {
	_, err := s.Notice(context.Background(), "nope")
	wantCode(t, "notice", err, bot.ENOTFOUND)
}

func testSaveNoticeInsertThenUpdate(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	n := FullNotice()
	alert := testDelivery(bot.AlertKey(alice, n.ID), alice, time.Time{})
	inserted, err := s.SaveNotice(ctx, n, nil, bot.Effects{Deliveries: []bot.Delivery{alert, alert}})
	if err != nil {
		t.Fatal(err)
	}
	if !inserted {
		t.Fatal("first save: got inserted false, want true")
	}
	if alert.ID != 0 {
		t.Error("SaveNotice changed the caller's delivery")
	}

	clock.Advance(time.Hour)
	changed := n
	changed.Title = "Renovatie en verduurzaming sporthal De Sluis"
	changed.Value = nil
	changed.Deadline = time.Time{}
	changed.Lots = nil
	later := testDelivery("another key", bob, time.Time{})
	inserted, err = s.SaveNotice(ctx, changed, nil, bot.Effects{Deliveries: []bot.Delivery{later}})
	if err != nil {
		t.Fatal(err)
	}
	if inserted {
		t.Error("second save: got inserted true, want false")
	}

	got, err := s.Notice(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "notice after update", got, changed)
	if count, _ := s.CountNotices(ctx); count != 1 {
		t.Errorf("notices stored: got %d, want 1", count)
	}

	// The first save enqueued the alert once, due then; the update
	// enqueued its own effect.
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch.Add(time.Hour), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 {
		t.Fatalf("deliveries: got %d, want 2: %v", len(due), due)
	}
	if due[0].Key != alert.Key || !due[0].DueAt.Equal(epoch) || due[0].NoticeID != n.ID {
		t.Errorf("delivery: got key %s due %v notice %s, want %s due %v notice %s",
			due[0].Key, due[0].DueAt, due[0].NoticeID, alert.Key, epoch, n.ID)
	}
	if has, _ := s.HasDelivery(ctx, later.Key); !has {
		t.Error("the update's effect was not enqueued")
	}
}

func testSaveNoticeSkipsExistingDeliveryKeys(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	existing := testDelivery("k", alice, epoch)
	existing.Message.Text = "first"
	if _, err := s.Enqueue(ctx, &existing); err != nil {
		t.Fatal(err)
	}
	again := testDelivery("k", alice, epoch)
	again.Message.Text = "second"
	fresh := testDelivery("k2", bob, epoch)
	inserted, err := s.SaveNotice(ctx, bot.Notice{ID: "n"}, nil, bot.Effects{Deliveries: []bot.Delivery{again, fresh}})
	if err != nil {
		t.Fatalf("save with an existing delivery key: %v", err)
	}
	if !inserted {
		t.Error("inserted: got false, want true")
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Message.Text != "first" || due[1].Key != "k2" {
		t.Errorf("deliveries: got %v, want k kept as first enqueued and k2 added", due)
	}
}

func testFindNoticeByClusterKey(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	first := FullNotice()
	if _, err := s.SaveNotice(ctx, first, []string{"id:" + first.ID, "procedure:p-1"}, bot.Effects{}); err != nil {
		t.Fatal(err)
	}
	// A second notice claiming a key the first holds does not take it over.
	other := bot.Notice{ID: "other", Title: "Other"}
	if _, err := s.SaveNotice(ctx, other, []string{"id:other", "procedure:p-1"}, bot.Effects{}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		keys   []string
		wantID string // "" when nothing should be found
	}{
		{name: "own id", keys: []string{"id:" + first.ID}, wantID: first.ID},
		{name: "procedure id", keys: []string{"id:unknown", "procedure:p-1"}, wantID: first.ID},
		{name: "first key that is held wins", keys: []string{"id:other", "procedure:p-1"}, wantID: "other"},
		{name: "no key held", keys: []string{"id:unknown", "title:x"}},
		{name: "no keys", keys: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok, err := s.FindNotice(ctx, tt.keys)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ok {
				got = n.ID
			}
			if got != tt.wantID {
				t.Errorf("FindNotice(%q): got %q (found %v), want %q", tt.keys, n.ID, ok, tt.wantID)
			}
		})
	}
	n, ok, err := s.FindNotice(ctx, []string{"procedure:p-1"})
	if err != nil || !ok || len(n.Sources) != 2 {
		t.Errorf("found notice's sources: got %v (found %v, %v), want the two stored links", n.Sources, ok, err)
	}
}

func testRecentNotices(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	saveNotices(t, s,
		bot.Notice{ID: "old", Published: day(1)},
		bot.Notice{ID: "undated"},
		bot.Notice{ID: "new", Published: day(3)},
		bot.Notice{ID: "mid-first", Published: day(2)},
		bot.Notice{ID: "mid-second", Published: day(2)},
		// A store that keeps times as text must sort them as times: .5 s
		// after midnight sorts after midnight even though RFC3339Nano
		// would write "…00Z" and "…00.5Z".
		bot.Notice{ID: "mid-half", Published: day(2).Add(500 * time.Millisecond)},
	)
	tests := []struct {
		limit int
		want  string
	}{
		{10, "new mid-half mid-second mid-first old undated"},
		{2, "new mid-half"},
		{0, ""},
		{-1, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("limit ", tt.limit), func(t *testing.T) {
			got, err := s.RecentNotices(ctx, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if ids := noticeIDs(got); ids != tt.want {
				t.Errorf("got %q, want %q", ids, tt.want)
			}
		})
	}
}

func testCountNotices(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	for i, want := range []int{0, 1, 2} {
		got, err := s.CountNotices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("after %d saves: got %d, want %d", i, got, want)
		}
		saveNotices(t, s, bot.Notice{ID: fmt.Sprint(i)}, bot.Notice{ID: fmt.Sprint(i)})
	}
}

// sortedIDs joins the notices' IDs with spaces, sorted, for tests of what a
// search finds rather than in which order.
func sortedIDs(ns []bot.Notice) string {
	ids := strings.Fields(noticeIDs(ns))
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

// noticeIDs joins the notices' IDs with spaces.
func noticeIDs(ns []bot.Notice) string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return strings.Join(ids, " ")
}

// searchCorpus is stored for the search tests.
var searchCorpus = []bot.Notice{
	{ID: "sporthal", Title: "Renovatie sporthal", Description: "Vervanging van de vloer.", Buyer: "Gemeente Almelo"},
	{ID: "zonne", Title: "Marktconsultatie zonnepanelen", Description: "Gemeentelijke daken.", Buyer: "Gemeente Enschede"},
	{ID: "cafe", Title: "Exploitatie café in het stadhuis", Description: "Horeca.", Buyer: "Gemeente Hengelo"},
	{ID: "email", Title: "E-mail en agenda", Description: "Een e-mailplatform.", Buyer: "Regio Twente"},
	{ID: "highway", Title: "Highway maintenance AND repairs", Description: "Roads in Cumbria.", Buyer: "Cumbria County Council"},
}

func testSearchNotices(t *testing.T, s bot.Store, _ *bottest.Clock) {
	saveNotices(t, s, searchCorpus...)
	tests := []struct {
		name  string
		words []string
		want  string
	}{
		{"lower case finds capitalised", []string{"renovatie"}, "sporthal"},
		{"upper case", []string{"RENOVATIE"}, "sporthal"},
		{"prefix", []string{"zonne*"}, "zonne"},
		{"no prefix without a star", []string{"zonne"}, ""},
		{"without diacritics finds with", []string{"cafe"}, "cafe"},
		{"with diacritics finds with", []string{"café"}, "cafe"},
		{"decomposed diacritics", []string{"cafe\u0301"}, "cafe"},
		{"buyer", []string{"enschede"}, "zonne"},
		{"description", []string{"vloer"}, "sporthal"},
		{"any of the words", []string{"vloer", "horeca"}, "cafe sporthal"},
		{"hyphenated word as in the text", []string{"e-mail"}, "email"},
		{"hyphenated prefix", []string{"e-mailpl*"}, "email"},
		{"punctuation around a word", []string{"(renovatie),"}, "sporthal"},
		{"no words", nil, ""},
		{"nothing but punctuation", []string{"--", "*"}, ""},
		{"no match", []string{"kernreactor"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchNotices(context.Background(), tt.words, 10)
			if err != nil {
				t.Fatal(err)
			}
			if ids := sortedIDs(got); ids != tt.want {
				t.Errorf("SearchNotices(%q): got %q, want %q", tt.words, ids, tt.want)
			}
		})
	}
}

// testSearchNoticesIgnoresQuerySyntax feeds query syntax in as words (FTS5's
// own, and SQL): none of it may fail or act as syntax.
func testSearchNoticesIgnoresQuerySyntax(t *testing.T, s bot.Store, _ *bottest.Clock) {
	saveNotices(t, s, searchCorpus...)
	tests := []struct {
		name  string
		words []string
		want  string
	}{
		{"a quote", []string{`"`}, ""},
		{"quotes around words", []string{`"renovatie`, `sporthal"`}, "sporthal"},
		{"AND is a word", []string{"AND"}, "highway"},
		{"OR is a word", []string{"OR"}, ""},
		{"NOT is a word", []string{"renovatie", "NOT", "sporthal"}, "sporthal"},
		{"NEAR", []string{"NEAR(", "renovatie"}, "sporthal"},
		{"column filter", []string{"title:highway"}, ""},
		{"column filter braces", []string{"{title}:", "horeca"}, "cafe"},
		{"a star alone", []string{"*"}, ""},
		{"a star first", []string{"*zonne"}, ""},
		{"a caret", []string{"^renovatie"}, "sporthal"},
		{"a plus", []string{"renovatie+sporthal"}, "sporthal"},
		{"minus", []string{"-renovatie"}, "sporthal"},
		{"brackets", []string{"(", ")", "[renovatie]"}, "sporthal"},
		{"a lone combining mark", []string{"\u0301"}, ""},
		{"invalid UTF-8", []string{"\xff\xfe"}, ""},
		{"a semicolon and SQL", []string{"'; DROP TABLE notices; --"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchNotices(context.Background(), tt.words, 10)
			if err != nil {
				t.Fatalf("SearchNotices(%q): %v", tt.words, err)
			}
			if ids := sortedIDs(got); ids != tt.want {
				t.Errorf("SearchNotices(%q): got %q, want %q", tt.words, ids, tt.want)
			}
		})
	}
	if n, err := s.CountNotices(context.Background()); err != nil || n != len(searchCorpus) {
		t.Errorf("notices after the searches: got %d, %v; want %d", n, err, len(searchCorpus))
	}
}

func testSearchNoticesRanksTitleFirst(t *testing.T, s bot.Store, _ *bottest.Clock) {
	saveNotices(t, s,
		bot.Notice{ID: "in-description", Title: "Onderhoud gebouwen", Description: "Inclusief dakwerk aan het gemeentehuis."},
		bot.Notice{ID: "in-title", Title: "Dakwerk gemeentehuis", Description: "Onderhoud."},
		bot.Notice{ID: "elsewhere", Title: "Schoonmaak", Description: "Kantoren."},
	)
	got, err := s.SearchNotices(context.Background(), []string{"dakwerk"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := noticeIDs(got), "in-title in-description"; ids != want {
		t.Errorf("got %q, want %q", ids, want)
	}
	got, err = s.SearchNotices(context.Background(), []string{"dakwerk"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := noticeIDs(got), "in-title"; ids != want {
		t.Errorf("limit 1: got %q, want %q", ids, want)
	}
}

func testSearchFollowsUpdates(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	n := bot.Notice{ID: "n", Title: "Asfaltonderhoud", Buyer: "Gemeente Almelo"}
	saveNotices(t, s, n)
	n.Title = "Groenonderhoud"
	saveNotices(t, s, n, n) // the second, unchanged save must not index twice

	tests := []struct {
		word string
		want string
	}{
		{"asfaltonderhoud", ""},
		{"groenonderhoud", "n"},
		{"almelo", "n"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got, err := s.SearchNotices(ctx, []string{tt.word}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if ids := noticeIDs(got); ids != tt.want {
				t.Errorf("got %q, want %q", ids, tt.want)
			}
		})
	}
}
