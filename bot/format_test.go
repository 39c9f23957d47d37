package bot

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot/text"
)

func TestValueText(t *testing.T) {
	tests := []struct {
		in   *Money
		want string
	}{
		{nil, "value not stated"},
		{&Money{Amount: 1200000, Currency: "GBP"}, "GBP 1,200,000"},
		{&Money{Amount: 999, Currency: "EUR"}, "EUR 999"},
		{&Money{Amount: 1234.5, Currency: "EUR"}, "EUR 1,234.50"},
		{&Money{Amount: -50, Currency: "EUR"}, "EUR -50"},
		{&Money{Amount: 450000}, "450,000"},
	}
	for _, tt := range tests {
		if got := ValueText(text.Printer{}, tt.in); got != tt.want {
			t.Errorf("ValueText(text.Printer{}, %v): got %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := CodesText(text.Printer{}, []CodeName{{Code: "45212225"}, {Code: "45000000", Label: "Construction work"}}); got != "45212225; 45000000 Construction work" {
		t.Errorf("CodesText: got %q", got)
	}
}
