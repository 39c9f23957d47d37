package bot

import (
	"slices"
	"testing"
	"time"
)

func TestClusterKeys(t *testing.T) {
	tests := []struct {
		name string
		n    Notice
		want []string
	}{
		{"id only", Notice{ID: "a"}, []string{"id:a", ref("a")}},
		{"buyer and title", Notice{ID: "a", Buyer: "Gemeente Almelo", Title: "Renovatie: sporthal 'De Sluis'"},
			[]string{"id:a", ref("a"), "title:gemeente almelo|renovatie sporthal de sluis"}},
		{"long procedure id stands alone", Notice{ID: "a", ProcedureID: "ocds-b5fd17-0054a4e6-0715"},
			[]string{"id:a", ref("a"), "procedure:ocds-b5fd17-0054a4e6-0715"}},
		{"short procedure id needs the buyer", Notice{ID: "a", ProcedureID: "2026-001", Buyer: "Gemeente Almelo"},
			[]string{"id:a", ref("a"), "procedure:gemeente almelo|2026-001"}},
		{"short procedure id without buyer is no key", Notice{ID: "a", ProcedureID: "2026-001"}, []string{"id:a", ref("a")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clusterKeys(tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func ref(id string) string { return refKey(NoticeRef(id)) }

func TestMergedKind(t *testing.T) {
	tests := []struct {
		stored   Kind
		incoming Kind
		sameItem bool
		want     Kind
	}{
		{KindTender, KindAward, false, KindAward},
		{KindTender, KindChange, false, KindTender},
		{KindTender, KindChange, true, KindTender},
		{KindEarly, KindTender, false, KindEarly},
		{KindEarly, KindTender, true, KindTender},
		{KindOther, KindTender, false, KindTender},
	}
	for _, tt := range tests {
		if got := mergedKind(tt.stored, Notice{Kind: tt.incoming}, tt.sameItem); got != tt.want {
			t.Errorf("mergedKind(%s, %s, same=%v): got %s, want %s", tt.stored, tt.incoming, tt.sameItem, got, tt.want)
		}
	}
}

func TestIsBackfill(t *testing.T) {
	poll := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		published time.Time
		previous  time.Time
		want      bool
	}{
		{"dated after the previous poll", poll.Add(time.Hour), poll, false},
		{"dated the day before: late, not old", poll.Add(-20 * time.Hour), poll, false},
		{"dated weeks before", poll.AddDate(0, 0, -21), poll, true},
		{"no date", time.Time{}, poll, false},
		{"no previous poll", poll.AddDate(-1, 0, 0), time.Time{}, false},
	}
	for _, tt := range tests {
		if got := isBackfill(Notice{Published: tt.published}, tt.previous); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
