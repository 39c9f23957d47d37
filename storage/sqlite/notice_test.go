package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TestSaveNoticeStampsFirstSeenAndUpdated checks the stamps the contract
// does not show: an update keeps when the notice was first seen.
func TestSaveNoticeStampsFirstSeenAndUpdated(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	n := bot.Notice{ID: "n", Title: "Renovatie sporthal De Sluis"}
	if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	n.Title = "Renovatie en verduurzaming sporthal De Sluis"
	if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{}); err != nil {
		t.Fatal(err)
	}

	var firstSeen, updated string
	err := s.reader.QueryRowContext(ctx, `SELECT first_seen, updated_at FROM notices WHERE id = ?`, n.ID).Scan(&firstSeen, &updated)
	if err != nil {
		t.Fatal(err)
	}
	if want := formatTime(epoch); firstSeen != want {
		t.Errorf("first_seen: got %s, want %s kept from the insert", firstSeen, want)
	}
	if want := formatTime(epoch.Add(time.Hour)); updated != want {
		t.Errorf("updated_at: got %s, want %s", updated, want)
	}
}

// TestSearchIndexFollowsUpdates checks that the external-content index
// agrees with the table it reads after an update and an unchanged save,
// which must not index twice.
func TestSearchIndexFollowsUpdates(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	n := bot.Notice{ID: "n", Title: "Asfaltonderhoud", Buyer: "Gemeente Almelo"}
	for _, title := range []string{"Asfaltonderhoud", "Groenonderhoud", "Groenonderhoud"} {
		n.Title = title
		if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO notices_fts (notices_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("full-text index integrity check: %v", err)
	}
}

func TestMatchExpression(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		want  string
	}{
		{"none", nil, ""},
		{"one", []string{"renovatie"}, `"renovatie"`},
		{"several", []string{"a", "b"}, `"a" OR "b"`},
		{"prefix", []string{"zonne*"}, `"zonne"*`},
		{"stars", []string{"zonne**"}, `"zonne"*`},
		{"leading star", []string{"*zonne"}, `"zonne"`},
		{"inner punctuation", []string{"e-mail"}, `"e mail"`},
		{"runs of punctuation", []string{"a--b..c"}, `"a b c"`},
		{"quotes", []string{`"x"`}, `"x"`},
		{"column filter", []string{"title:x*"}, `"title x"*`},
		{"digits", []string{"45210000-2"}, `"45210000 2"`},
		{"diacritics kept for the tokenizer", []string{"Café"}, `"Café"`},
		{"combining mark kept with its letter", []string{"cafe\u0301"}, "\"cafe\u0301\""},
		{"dropped", []string{"", "*", `"`, "\u0301", "renovatie"}, `"renovatie"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matchExpression(tt.words); got != tt.want {
				t.Errorf("matchExpression(%q): got %s, want %s", tt.words, got, tt.want)
			}
		})
	}
}
