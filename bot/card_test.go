package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

func TestCardDeadlineText(t *testing.T) {
	at := time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC)
	utc := LocalTime(text.Printer{}, time.UTC)
	tests := []struct {
		name     string
		deadline time.Time
		days     int
		want     string
	}{
		{"closed", at, -1, "Fri 15 Jan 2027 11:00 UTC (closed)"},
		{"today", at, 0, "Fri 15 Jan 2027 11:00 UTC (closes within a day)"},
		{"one day", at, 1, "Fri 15 Jan 2027 11:00 UTC (1 day left)"},
		{"days", at, 12, "Fri 15 Jan 2027 11:00 UTC (12 days left)"},
		{"none", time.Time{}, 12, "not stated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Card{Notice: Notice{Deadline: tt.deadline}, DaysLeft: tt.days}
			if got := c.DeadlineText(text.Printer{}, utc); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	unix := func(t time.Time) string { return fmt.Sprintf("<t:%d:f>", t.Unix()) }
	if got, want := (Card{Notice: Notice{Deadline: at}, DaysLeft: 49}).DeadlineText(text.Printer{}, unix), "<t:1800010800:f> (49 days left)"; got != want {
		t.Errorf("with a timestamp: got %q, want %q", got, want)
	}
}

func TestCardFields(t *testing.T) {
	full := Card{
		Notice: Notice{
			Title: "Renovatie sporthal", Buyer: "Gemeente Almelo", Kind: KindTender,
			Value:    &Money{Amount: 450000, Currency: "EUR"},
			Deadline: time.Date(2027, 1, 15, 11, 0, 0, 0, time.UTC),
		},
		CPV:      []CodeName{{Code: "45212225"}, {Code: "45000000", Label: "Construction work"}},
		Regions:  []CodeName{{Code: "NL213", Label: "Twente"}},
		Reasons:  []string{"cpv 45212225 under 45", "nuts NL213 under NL21"},
		Profile:  "Bouw",
		Via:      "Twente Business Desk",
		DaysLeft: 49,
	}
	tests := []struct {
		name string
		card Card
		want []CardField
	}{
		{"every field", full, []CardField{
			{CardBuyer, "Buyer", "Gemeente Almelo"},
			{CardKind, "Kind", "tender"},
			{CardCPV, "CPV", "45212225; 45000000 Construction work"},
			{CardRegion, "Region", "NL213 Twente"},
			{CardValue, "Value", "EUR 450,000"},
			{CardDeadline, "Deadline", "Fri 15 Jan 2027 11:00 UTC (49 days left)"},
			{CardWhy, "Why it matched", "cpv 45212225 under 45; nuts NL213 under NL21"},
			{CardProfile, "Profile", "Bouw"},
			{CardVia, "", "via Twente Business Desk"},
		}},
		{"a search result without value or deadline", Card{Notice: Notice{Title: "Zon", Kind: KindEarly}}, []CardField{
			{CardKind, "Kind", "early engagement"},
			{CardValue, "Value", "value not stated"},
			{CardDeadline, "Deadline", "not stated"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.card.Fields(text.Printer{}, LocalTime(text.Printer{}, time.UTC))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
			for _, f := range got {
				if note := f.Key == CardWhy || f.Key == CardProfile || f.Key == CardVia; f.IsNote() != note {
					t.Errorf("%s: IsNote is %v, want %v", f.Key, f.IsNote(), note)
				}
			}
		})
	}
}

func TestCardTitleAndLink(t *testing.T) {
	tests := []struct {
		title, url          string
		wantTitle, wantLink string
	}{
		{"Renovatie", "https://www.almelo.nl/a/1", "Renovatie", "https://www.almelo.nl/a/1"},
		{"  ", " http://example.org/x ", "Untitled notice", "http://example.org/x"},
		{"X", "javascript:alert(1)", "X", ""},
		{"X", "/relative/path", "X", ""},
		{"X", "", "X", ""},
	}
	for _, tt := range tests {
		c := Card{Notice: Notice{Title: tt.title, URL: tt.url}}
		if got := c.Title(text.Printer{}); got != tt.wantTitle {
			t.Errorf("title %q: got %q, want %q", tt.title, got, tt.wantTitle)
		}
		if got := c.Link(); got != tt.wantLink {
			t.Errorf("url %q: got link %q, want %q", tt.url, got, tt.wantLink)
		}
	}
}

func TestCardStripsBidiControls(t *testing.T) {
	const bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
	c := Card{
		Notice: Notice{
			Title: "Renovatie\u202e sporthal", Description: " Over" + bidi + " de sporthal ", Buyer: "Gemeente\u2067 Almelo",
			Kind: KindTender,
		},
		Reasons: []string{"keyword 'reno\u202dvatie'"},
		Profile: "Bouw\u2066", Via: "Twente\u202b Desk",
	}
	texts := []string{c.Title(text.Printer{}), c.Description()}
	for _, f := range c.Fields(text.Printer{}, LocalTime(text.Printer{}, time.UTC)) {
		texts = append(texts, f.Text)
	}
	for _, s := range texts {
		for _, r := range bidi {
			if strings.ContainsRune(s, r) {
				t.Errorf("%q holds the bidi control %U", s, r)
			}
		}
	}
	if got, want := c.Title(text.Printer{}), "Renovatie sporthal"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if got, want := c.Description(), "Over de sporthal"; got != want {
		t.Errorf("description: got %q, want %q", got, want)
	}
}
