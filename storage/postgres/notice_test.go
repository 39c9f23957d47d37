package postgres

import "testing"

// TestTSQueryHoldsOnlyWords needs no server: whatever is typed, the text
// handed to to_tsquery holds words, <->, :* and | only.
func TestTSQueryHoldsOnlyWords(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"renovatie"}, "renovatie"},
		{[]string{"zonne*"}, "zonne:*"},
		{[]string{"e-mail"}, "(e <-> mail)"},
		{[]string{"e-mailpl*"}, "(e <-> mailpl:*)"},
		{[]string{"cafe\u0301"}, "café"}, // composed before it is folded
		{[]string{"(renovatie),", "vloer"}, "renovatie | vloer"},
		{[]string{"'; DROP TABLE notices; --"}, "(DROP <-> TABLE <-> notices)"},
		{[]string{"a&b", "!x", "y|z", "<->"}, "(a <-> b) | x | (y <-> z)"},
		{[]string{"*", "--", "\u0301", "\xff"}, ""},
	}
	for _, tt := range tests {
		if got := tsQuery(tt.words); got != tt.want {
			t.Errorf("tsQuery(%q): got %q, want %q", tt.words, got, tt.want)
		}
	}
}
