package feeds

import (
	"slices"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestStructuredCodes(t *testing.T) {
	tests := []struct {
		name, in, want string
		f              func(string) string
	}{
		{"cpv plain", "45210000", "45210000", cpvCode},
		{"cpv check digit", " 45210000-2 ", "45210000", cpvCode},
		{"cpv too short", "4521000", "", cpvCode},
		{"cpv no division", "99210000", "", cpvCode},
		{"cpv with text", "CPV 45210000", "", cpvCode},
		{"nuts", "nl213", "NL213", nutsCode},
		{"nuts country", "NL", "NL", nutsCode},
		{"nuts unknown country", "XX123", "", nutsCode},
		{"nuts too long", "NL2133", "", nutsCode},
		{"nuts region word", "anyw-cou", "", nutsCode},
		{"nuts first level, letters", "UKD", "UKD", nutsCode},
		{"nuts extra-regio", "NLZZZ", "NLZZZ", nutsCode},
		{"a county, not a code", "Essex", "", nutsCode},
		{"another", "DEVON", "", nutsCode},
		{"country alpha-3", "NLD", "NL", countryFromCode},
		{"country alpha-3 UK", "GBR", "UK", countryFromCode},
		{"country alpha-3 Greece", "GRC", "EL", countryFromCode},
		{"country alpha-2 lower", "de", "DE", countryFromCode},
		{"country name", "United Kingdom", "UK", countryFromCode},
		{"country outside NUTS", "USA", "", countryFromCode},
		{"language ISO 639-2/T", "NLD", "nl", languageFromCode},
		{"language ISO 639-2/B", "dut", "nl", languageFromCode},
		{"language tag", "en-GB", "en", languageFromCode},
		{"language unknown", "XYZ", "", languageFromCode},
		{"publication number", "00739962-2023", "739962-2023", tedPublicationNumber},
		{"publication number short", "67623-2022", "67623-2022", tedPublicationNumber},
		{"publication number zero", "0000-2023", "0-2023", tedPublicationNumber},
		{"not a publication number", " OJ S 153 ", "OJ S 153", tedPublicationNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(tt.in); got != tt.want {
				t.Errorf("got %q for %q, want %q", got, tt.in, tt.want)
			}
		})
	}
}

func TestDropAncestors(t *testing.T) {
	if got, want := dropNUTSAncestors([]string{"FI1", "FI1C", "FI1C1", "FI1B1", "NL"}), []string{"FI1C1", "FI1B1", "NL"}; !slices.Equal(got, want) {
		t.Errorf("dropNUTSAncestors: got %v, want %v", got, want)
	}
	if got, want := dropCPVAncestors([]string{"92000000", "92600000", "92610000", "45000000", "03111000"}), []string{"92610000", "45000000", "03111000"}; !slices.Equal(got, want) {
		t.Errorf("dropCPVAncestors: got %v, want %v", got, want)
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             *bot.Money
	}{
		{"80000000", "EUR", &bot.Money{Amount: 80_000_000, Currency: "EUR"}},
		{" 390697.84 ", "eur", &bot.Money{Amount: 390_697.84, Currency: "EUR"}},
		{"0", "EUR", nil},
		{"-5", "EUR", nil},
		{"12", "", nil},
		{"12", "€", nil},
		{"NaN", "EUR", nil},
		{"1e20", "EUR", nil},
		{"twelve", "EUR", nil},
	}
	for _, tt := range tests {
		if got := parseMoney(tt.amount, tt.currency); !sameMoney(got, tt.want) {
			t.Errorf("parseMoney(%q, %q) = %s, want %s", tt.amount, tt.currency, moneyString(got), moneyString(tt.want))
		}
	}
}

func TestParseDate(t *testing.T) {
	madrid := zone("ES", "")
	utc := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		date, clock string
		endOfDay    bool
		want        time.Time // zero: not a date
	}{
		{"2023-11-24+01:00", "13:00:00+01:00", true, utc("2023-11-24T12:00:00Z")},
		{"2023-09-12+03:00", "13:00:00.000+03:00", true, utc("2023-09-12T10:00:00Z")},
		{"2020-06-12+01:00", "12:00:00+02:00", true, utc("2020-06-12T10:00:00Z")}, // the time's offset wins
		{"2023-10-25Z", "", false, utc("2023-10-25T00:00:00Z")},
		{"2026-12-31+01:00", "", true, utc("2026-12-31T22:59:00Z")},
		{"2027-01-20", "14:00:00", true, utc("2027-01-20T13:00:00Z")}, // Madrid, winter
		{"2026-10-05", "", true, utc("2026-10-05T21:59:00Z")},         // Madrid, summer
		{"2027-01-20", "14:00", true, utc("2027-01-20T13:00:00Z")},
		{"2019-07-05T00:00:00Z", "", false, utc("2019-07-05T00:00:00Z")},
		{"2024-03-04T10:30:00.5+01:00", "", true, utc("2024-03-04T09:30:00.5Z")},
		{"2027-02-31", "", true, time.Time{}},
		{"1890-01-01", "", false, time.Time{}},
		{"tomorrow", "", true, time.Time{}},
		{"2027-01-20", "noon", true, time.Time{}},
	}
	for _, tt := range tests {
		var got time.Time
		var ok bool
		if tt.clock == "" {
			got, ok = parseDate(tt.date, madrid, tt.endOfDay)
		} else {
			got, ok = ublDateTime(tt.date, tt.clock, madrid, tt.endOfDay)
		}
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) || ok && got.Location() != time.UTC {
			t.Errorf("date %q time %q: got %v, %v; want %v in UTC", tt.date, tt.clock, got, ok, tt.want)
		}
	}
}
