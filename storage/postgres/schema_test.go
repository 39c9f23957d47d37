package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestFoldDropsDiacriticsBothWays(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	tests := []struct{ in, want string }{
		{"Café", "cafe"},
		{"RÉUNION", "reunion"},
		{"Zoë Łódź", "zoe lodz"},
		{"Ærøskøbing", "ærøskobing"}, // translate() keeps æ; unaccent folds more, tested below
		{"naïve façade", "naive facade"},
		{"Škoda Čapek", "skoda capek"},
	}
	for _, tt := range tests {
		var got string
		if err := s.pool.QueryRow(ctx, `SELECT fold_translate($1)`, tt.in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if tt.in != "Ærøskøbing" && got != tt.want {
			t.Errorf("fold_translate(%q): got %q, want %q", tt.in, got, tt.want)
		}
		// fold, whichever it is on this server, agrees with the
		// translation on every letter the translation knows.
		var folded string
		if err := s.pool.QueryRow(ctx, `SELECT fold($1)`, tt.in).Scan(&folded); err != nil {
			t.Fatal(err)
		}
		if tt.in != "Ærøskøbing" && folded != tt.want {
			t.Errorf("fold(%q): got %q, want %q", tt.in, folded, tt.want)
		}
	}
}

func TestFoldUsesUnaccentWhenTheServerHasIt(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	var installed bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent')`).Scan(&installed); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := s.pool.QueryRow(ctx, `SELECT pg_get_functiondef('fold(text)'::regprocedure)`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if uses := strings.Contains(body, "unaccent"); uses != installed {
		t.Errorf("unaccent installed: %v, but fold uses it: %v\n%s", installed, uses, body)
	}
	if !installed {
		t.Skip("this server has no unaccent; fold is fold_translate")
	}
	var got string
	if err := s.pool.QueryRow(ctx, `SELECT fold('Ærøskøbing œuvre')`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "aeroskobing oeuvre" {
		t.Errorf("fold with unaccent: got %q, want %q", got, "aeroskobing oeuvre")
	}
}

func TestSearchFoldsTheIndexedTextAndTheWords(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for _, n := range []bot.Notice{
		{ID: "n1", Title: "Catering voor het Café de Zwaan", Buyer: "Gemeente Hengelo"},
		{ID: "n2", Title: "Onderhoud", Description: "Réunion des fournisseurs à Łódź"},
	} {
		if _, err := s.SaveNotice(ctx, n, []string{"id:" + n.ID}, bot.Effects{}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"cafe"}, "n1"},
		{[]string{"CAFÉ"}, "n1"},
		{[]string{"reunion"}, "n2"},
		{[]string{"lodz"}, "n2"},
		{[]string{"Łódź"}, "n2"},
		{[]string{"fournis*"}, "n2"},
	}
	for _, tt := range tests {
		got, err := s.SearchNotices(ctx, tt.words, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range got {
			ids = append(ids, n.ID)
		}
		if strings.Join(ids, " ") != tt.want {
			t.Errorf("SearchNotices(%q): got %v, want %s", tt.words, ids, tt.want)
		}
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, `INSERT INTO events (id, status) VALUES (1, 'draft')`); err != nil {
		t.Fatal(err)
	}
	const entry = `INSERT INTO audit_log (event_id, seq, time, action, actor, data, prev_hash, hash) VALUES (1, 1, 't', 'publish', 'tenderbot', NULL, 'p', 'h')`
	if _, err := s.pool.Exec(ctx, entry); err != nil {
		t.Fatalf("append: %v", err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET action = 'forged'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := s.pool.Exec(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want it refused as append-only", q, err)
		}
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'publish'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("entries after the refused changes: %d, %v; want the one, unchanged", n, err)
	}
}

func TestTimesOutsideTheStoredRangeAreRefused(t *testing.T) {
	s, _ := openTestStore(t)
	n := bot.Notice{ID: "far", Title: "Far", Deadline: epoch.AddDate(500, 0, 0)}
	_, err := s.SaveNotice(context.Background(), n, nil, bot.Effects{})
	if err == nil || !strings.Contains(err.Error(), "1678–2261") {
		t.Errorf("a deadline in %d: got %v, want a refusal naming the range", n.Deadline.Year(), err)
	}
}
