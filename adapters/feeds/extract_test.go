package feeds

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestPlainLines(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain text", "  Renovatie   sporthal \n\n Almelo ", []string{"Renovatie sporthal", "Almelo"}},
		{"block tags end lines", "<p>Een</p><p>Twee<br/>Drie</p><ul><li>Vier</li></ul>", []string{"Een", "Twee", "Drie", "Vier"}},
		{"inline tags vanish", "<strong>Opdrachtgever:</strong> Gemeente <em>Almelo</em>", []string{"Opdrachtgever: Gemeente Almelo"}},
		{"table cells", "<table><tr><td>Kenmerk:</td><td>ALM-1</td></tr></table>", []string{"Kenmerk: ALM-1"}},
		{"entities and nbsp", "&euro;&nbsp;450.000 &amp; meer", []string{"€ 450.000 & meer"}},
		{"escaped twice", "&lt;p&gt;Sluitingsdatum: 15-01-2027&lt;/p&gt;", []string{"Sluitingsdatum: 15-01-2027"}},
		{"script dropped", "<script>alert('x')</script>Tekst", []string{"Tekst"}},
		{"less-than in text stays", "waarde < € 50.000", []string{"waarde < € 50.000"}},
		{"invalid utf-8", "Gemeente\xffAlmelo", []string{"GemeenteAlmelo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainLines(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("plainLines(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCPVCodes(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		categories []string
		want       []string
	}{
		{"label and check digit", "CPV: 45210000-2", nil, []string{"45210000"}},
		{"label without colon", "CPV 45210000", nil, []string{"45210000"}},
		{"label, check digit, no colon", "CPV 45210000-2", nil, []string{"45210000"}},
		{"check digit alone is enough", "Bouwen van gebouwen (45210000-2)", nil, []string{"45210000"}},
		{"list after label, main first", "CPV-codes: 45212225-9 (hoofdopdracht), 45453000, 45331000", nil, []string{"45212225", "45453000", "45331000"}},
		{"deduplicated", "CPV: 45210000-2, 45210000\nHoofd-CPV: 45210000", nil, []string{"45210000"}},
		{"unlabelled 8 digits are not enough", "Dossier 45210000 is gesloten", nil, nil},
		{"phone number", "Bel 053-4812345 of 0534812345", nil, nil},
		{"phone number on a CPV line", "CPV: 45210000-2, tel. 0534812345", nil, []string{"45210000"}},
		{"phone after another label", "CPV: 45210000 | Telefoon: 48123456", nil, []string{"45210000"}},
		{"amount with separators", "Geraamde waarde: € 45.210.000 (CPV onbekend)", nil, nil},
		{"dotted code", "CPV: 45.210.000", nil, nil},
		{"longer number", "CPV: 452100001", nil, nil},
		{"two digits after the dash", "Ordernummer 45210000-23", nil, nil},
		{"decimal amount", "CPV 45210000,50", nil, nil},
		{"no CPV division", "CPV: 12345678-9, 20270115", nil, nil},
		{"a date is no code", "Sluitingsdatum 2027-01-15", nil, nil},
		{"label on another line does not count", "CPV zie bijlage\nProject 45210000", nil, nil},
		{"category", "", []string{"72000000-5 IT-diensten"}, []string{"72000000"}},
		{"category without check digit", "", []string{"72253200"}, []string{"72253200"}},
		{"categories first", "CPV: 45210000-2", []string{"71000000"}, []string{"71000000", "45210000"}},
		{"category without code", "", []string{"Bouw", "2027"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cpvCodes(plainLines(tt.text), tt.categories)
			if !slices.Equal(got, tt.want) {
				t.Errorf("cpvCodes(%q, %q) = %q, want %q", tt.text, tt.categories, got, tt.want)
			}
		})
	}
}

func TestNUTSCodes(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"NUTS label", "NUTS: NL213", []string{"NL213"}},
		{"NUTS-code label, two codes", "NUTS-code: NL213, NL211", []string{"NL213", "NL211"}},
		{"NUTS label without colon", "Plaats: Hengelo, NUTS NL213", []string{"NL213"}},
		{"place of performance", "Plaats van uitvoering: Almelo (NL213)", []string{"NL213"}},
		{"english place of performance", "Place of performance: Carlisle (UKD12)", []string{"UKD12"}},
		{"regio with colon", "Regio: NL213", []string{"NL213"}},
		{"Regio Twente is a name", "Opdrachtgever: Regio Twente NL213", nil},
		{"no label", "Project in NL213 en DEA34", nil},
		{"code without digit needs NUTS or brackets", "Place of performance: North West England (UKD)", []string{"UKD"}},
		{"country level after NUTS", "NUTS: NL", []string{"NL"}},
		{"words are not codes", "Plaats van uitvoering: NOORD-NEDERLAND, DEN HAAG", nil},
		{"unknown country", "NUTS: XX123", nil},
		{"German district", "NUTS: DEA34 (Borken)", []string{"DEA34"}},
		{"stops at the next label", "NUTS: NL213 | Land: NL", []string{"NL213"}},
		{"lower case is no code", "Region: nl213", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nutsCodes(plainLines(tt.text)); !slices.Equal(got, tt.want) {
				t.Errorf("nutsCodes(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestCountry(t *testing.T) {
	tests := []struct {
		name string
		nuts []string
		text string
		want string
	}{
		{"from NUTS", []string{"DEA34", "NL213"}, "Land: NL", "DE"},
		{"code", nil, "Land: NL", "NL"},
		{"ISO GB is NUTS UK", nil, "Country: GB", "UK"},
		{"name", nil, "Country: United Kingdom", "UK"},
		{"Dutch name", nil, "Land: Duitsland", "DE"},
		{"nothing", nil, "Landelijk project", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := country(tt.nuts, plainLines(tt.text)); got != tt.want {
				t.Errorf("country(%v, %q) = %q, want %q", tt.nuts, tt.text, got, tt.want)
			}
		})
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		text, lang string
		want       *bot.Money
	}{
		{"Geraamde waarde: € 450.000", "nl", &bot.Money{Amount: 450_000, Currency: "EUR"}},
		{"Geschatte waarde: EUR 1.250.000,00", "nl", &bot.Money{Amount: 1_250_000, Currency: "EUR"}},
		{"Estimated value: £1.2m", "en", &bot.Money{Amount: 1_200_000, Currency: "GBP"}},
		{"Value: EUR 450,000", "en", &bot.Money{Amount: 450_000, Currency: "EUR"}},
		{"Value: EUR 450,000", "nl", &bot.Money{Amount: 450_000, Currency: "EUR"}}, // the label is English
		{"Geraamde waarde: € 2,5 mln", "nl", &bot.Money{Amount: 2_500_000, Currency: "EUR"}},
		{"Estimated value: €2.5 million", "en", &bot.Money{Amount: 2_500_000, Currency: "EUR"}},
		{"Geraamde waarde: € 3,2 miljoen per jaar", "nl", &bot.Money{Amount: 3_200_000, Currency: "EUR"}},
		{"Budget: € 1,250 mln", "nl", &bot.Money{Amount: 1_250_000, Currency: "EUR"}},
		{"Budget: € 1,250 mln", "en", &bot.Money{Amount: 1_250_000_000, Currency: "EUR"}},
		{"Budget: € 1.250 mln", "nl", &bot.Money{Amount: 1_250_000_000, Currency: "EUR"}},
		{"Waarde: 450.000 euro", "nl", &bot.Money{Amount: 450_000, Currency: "EUR"}},
		{"Estimated value: 450 000 €", "en", &bot.Money{Amount: 450_000, Currency: "EUR"}},
		{"Contract value: USD 75k", "en", &bot.Money{Amount: 75_000, Currency: "USD"}},
		{"Estimated value: CHF 1'200'000", "en", &bot.Money{Amount: 1_200_000, Currency: "CHF"}},
		{"Estimated value: £1,250.50", "en", &bot.Money{Amount: 1_250.50, Currency: "GBP"}},
		{"Geraamde waarde (excl. btw): € 95.000,-", "nl", &bot.Money{Amount: 95_000, Currency: "EUR"}},
		{"Geschatte waarde: SEK 2 400 000", "nl", &bot.Money{Amount: 2_400_000, Currency: "SEK"}},
		{"De geraamde waarde van deze opdracht bedraagt circa € 3,2 miljoen.", "nl", &bot.Money{Amount: 3_200_000, Currency: "EUR"}},
		{"Opdrachtgever: Gemeente Borne | Geraamde waarde: € 480.000 | Sluitingsdatum: 08-01-2027", "nl", &bot.Money{Amount: 480_000, Currency: "EUR"}},
		{"Geraamde waarde: tussen € 25 mln en € 35 mln", "nl", &bot.Money{Amount: 25_000_000, Currency: "EUR"}},
		{"Waarde: € 450.000 2027", "nl", &bot.Money{Amount: 450_000, Currency: "EUR"}},
		{"Waarde: 60% kwaliteit, 40% prijs", "nl", nil},
		{"Geraamde waarde: nog niet bekend", "nl", nil},
		{"Geraamde waarde: 450.000", "nl", nil},                                    // no currency
		{"Het contract levert € 450.000 op", "nl", nil},                            // no label
		{"Best value for money, reviewed in 2027 at a cost of € 5.000", "en", nil}, // too far from the label
		{"Waarde: € 0", "nl", nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			if got := value(plainLines(tt.text), tt.lang); !sameMoney(got, tt.want) {
				t.Errorf("value(%q, %s) = %s, want %s", tt.text, tt.lang, moneyString(got), moneyString(tt.want))
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	tests := []struct {
		text, country, lang string
		want                string // RFC 3339, "" for none
	}{
		{"Sluitingsdatum: 15-01-2027 12:00", "NL", "nl", "2027-01-15T11:00:00Z"},
		{"Sluitingsdatum: 15-06-2027 12:00", "NL", "nl", "2027-06-15T10:00:00Z"}, // summer time
		{"Uiterste inschrijfdatum: 15 januari 2027", "NL", "nl", "2027-01-15T22:59:00Z"},
		{"Deadline: 15 January 2027 12:00", "UK", "en", "2027-01-15T12:00:00Z"},
		{"Deadline: 15 January 2027 12:00", "", "nl", "2027-01-15T12:00:00Z"}, // English label: London
		{"Closing date: 2027-01-15", "", "en", "2027-01-15T23:59:00Z"},
		{"Aanmelden vóór 10-02-2027", "", "nl", "2027-02-10T22:59:00Z"},
		{"Aanmelden voor 10-02-2027", "", "nl", "2027-02-10T22:59:00Z"},
		{"Inschrijven vóór: vrijdag 18 december 2026 om 12.00 uur", "NL", "nl", "2026-12-18T11:00:00Z"},
		{"Reageren vóór: maandag 21 december 2026, 17:00 uur", "NL", "nl", "2026-12-21T16:00:00Z"},
		{"Sluitingsdatum: 2027-02-04T10:00", "NL", "nl", "2027-02-04T09:00:00Z"},
		{"Sluitingsdatum: 15/01/2027 14.30", "NL", "nl", "2027-01-15T13:30:00Z"},
		{"Closing date: 15/01/2027 5pm", "UK", "en", "2027-01-15T17:00:00Z"},
		{"Deadline for tenders: January 15, 2027", "", "en", "2027-01-15T23:59:00Z"},
		{"Tender deadline: 3rd March 2027 at 12:00", "UK", "en", "2027-03-03T12:00:00Z"},
		{"Deadline: 12:00 uur op 15 januari 2027", "NL", "nl", "2027-01-15T11:00:00Z"},
		{"Deadline to register interest: 15 January 2027 12:00", "UK", "en", "2027-01-15T12:00:00Z"},
		{"Angebotsfrist: 20.01.2027 10:00", "DE", "de", "2027-01-20T09:00:00Z"},
		{"Sluitingsdatum: 15 jan. 2027", "NL", "nl", "2027-01-15T22:59:00Z"},
		{"Sluitingsdatum: 15-01-2027 24:00", "NL", "nl", "2027-01-15T22:59:00Z"},
		{"Nieuwe sluitingsdatum: 25-01-2027 12:00. Overige voorwaarden ongewijzigd.", "NL", "nl", "2027-01-25T11:00:00Z"},
		{"De sluitingstermijn is verlengd. Nieuwe sluitingsdatum: 25-01-2027 12:00", "NL", "nl", "2027-01-25T11:00:00Z"},
		{"Sluitingsdatum: 31-02-2027", "NL", "nl", ""},
		{"Sluitingsdatum: nog niet bekend", "NL", "nl", ""},
		{"Gepubliceerd op 15-01-2027", "NL", "nl", ""},
		{"Sluitingsdatum: 15-01-1999", "NL", "nl", ""},
		{"Sluitingsdatum: 15-01-2027 25:00", "NL", "nl", "2027-01-15T22:59:00Z"}, // no valid time: end of day
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var want time.Time
			if tt.want != "" {
				var err error
				if want, err = time.Parse(time.RFC3339, tt.want); err != nil {
					t.Fatal(err)
				}
			}
			got := deadline(plainLines(tt.text), tt.country, tt.lang)
			if !got.Equal(want) {
				t.Errorf("deadline(%q, %s, %s) = %v, want %v", tt.text, tt.country, tt.lang, got, want)
			}
			if !got.IsZero() && got.Location() != time.UTC {
				t.Errorf("deadline is in %v, want UTC", got.Location())
			}
		})
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		title, description string
		hasDeadline        bool
		want               bot.Kind
	}{
		{"Marktconsultatie zonnepanelen op gemeentelijke daken", "", true, bot.KindEarly},
		{"Marktverkenning wegonderhoud", "", false, bot.KindEarly},
		{"Market engagement event: school transport", "", true, bot.KindEarly},
		{"Leveranciersdag 2027", "", true, bot.KindEarly},
		{"Meet the buyer: Manchester", "", false, bot.KindEarly},
		{"Vooraankondiging: viaducten A1", "", false, bot.KindEarly},
		{"Prior information notice: highways", "", false, bot.KindEarly},
		{"Gegund: afvalinzameling", "", false, bot.KindAward},
		{"Gunningsbeslissing speeltoestellen", "", false, bot.KindAward},
		{"Contract award: catering", "", false, bot.KindAward},
		{"Rectificatie: vertaaldiensten", "Nieuwe sluitingsdatum", true, bot.KindChange},
		{"Corrigendum: grounds maintenance", "", true, bot.KindChange},
		{"Wijziging: onderhoud groen", "", true, bot.KindChange},
		{"Aanbesteding leerlingenvervoer", "Na een marktconsultatie in 2025 volgt nu de aanbesteding.", true, bot.KindTender},
		{"Invitation to tender: library books", "", true, bot.KindTender},
		{"Renovatie sporthal", "Europese openbare aanbesteding.", false, bot.KindTender},
		{"Renovatie sporthal", "Nieuwe kleedkamers.", true, bot.KindTender},
		{"Onderhoud groen", "De opdracht wordt gegund aan de inschrijver met de beste prijs-kwaliteitverhouding.", true, bot.KindTender},
		{"Grounds maintenance", "The contract will be awarded to the most economically advantageous tender.", true, bot.KindTender},
		{"Afvalinzameling Almelo", "De opdracht is gegund aan Van Dijk B.V.", false, bot.KindAward},
		{"Catering civic centre", "The contract has been awarded to Local Foods Ltd.", false, bot.KindAward},
		{"Vertaaldiensten", "Rectificatie van de aankondiging van 16 oktober.", true, bot.KindChange},
		{"Zonnepanelen", "Wij houden een marktconsultatie.", false, bot.KindEarly},
		{"Nieuwsbrief inkoop", "Het team stelt zich voor.", false, bot.KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			if got := kind(tt.title, tt.description, tt.hasDeadline); got != tt.want {
				t.Errorf("kind(%q, %q, %v) = %q, want %q", tt.title, tt.description, tt.hasDeadline, got, tt.want)
			}
		})
	}
}

func TestBuyerAndReference(t *testing.T) {
	tests := []struct {
		text, buyer, ref string
	}{
		{"Opdrachtgever: Gemeente Almelo\nKenmerk: ALM-2026-042", "Gemeente Almelo", "ALM-2026-042"},
		{"Aanbestedende dienst: Waterschap Vechtstromen; Referentie: WVS-2026-0112", "Waterschap Vechtstromen", "WVS-2026-0112"},
		{"Opdrachtgever: Gemeente Borne | CPV 90911200-8 | Kenmerk: BRN/2026/7.", "Gemeente Borne", "BRN/2026/7"},
		{"Buyer: Manchester City Council Reference: MCC-2026-HST-07", "Manchester City Council", "MCC-2026-HST-07"},
		{"Contracting authority: Cumberland Council\nReference: see the tender documents", "Cumberland Council", ""},
		{"De opdrachtgever is de gemeente.", "", ""},
		{"Opdrachtgever: Gemeente Almelo. Renovatie van sporthal De Sluis.", "Gemeente Almelo", ""},
		{"Opdrachtgever: Gemeente Almelo.", "Gemeente Almelo", ""},
		{"Buyer: Cumbria County Council. Highway works! CPV: 45233141-9.", "Cumbria County Council", ""},
		{"Opdrachtgever: Bouwbedrijf Jansen B.V. Nieuwbouw", "Bouwbedrijf Jansen B.V.", ""},
		{"Buyer: Acme Ltd. Supply of goods", "Acme Ltd.", ""},
		{"Opdrachtgever: Gemeente St. Michielsgestel. Onderhoud", "Gemeente St. Michielsgestel", ""},
		{"Opdrachtgever: Gemeente Hengelo. Kenmerk: HGL-2026-9. Vervoer", "Gemeente Hengelo", "HGL-2026-9"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			lines := plainLines(tt.text)
			if got := buyerFromText(lines); got != tt.buyer {
				t.Errorf("buyer = %q, want %q", got, tt.buyer)
			}
			if got := procedureID(lines); got != tt.ref {
				t.Errorf("procedure ID = %q, want %q", got, tt.ref)
			}
		})
	}
}

// TestBuyerOfTestdataFeed reads the end-to-end tests' feed, where each
// buyer's sentence is followed by another on the same line.
func TestBuyerOfTestdataFeed(t *testing.T) {
	data, err := os.ReadFile("../../cmd/tenderbot/testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	notices, err := Parse(data, "test")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notices {
		got = append(got, n.Buyer)
	}
	if want := []string{"Gemeente Almelo", "Gemeente Hengelo", "Cumbria County Council"}; !slices.Equal(got, want) {
		t.Errorf("buyers: got %q, want %q", got, want)
	}
}

func TestLanguageCode(t *testing.T) {
	for in, want := range map[string]string{"nl": "nl", "nl-NL": "nl", "en_GB": "en", "EN": "en", " de ": "de", "dutch": "", "n": "", "1a": "", "": ""} {
		if got := languageCode(in); got != want {
			t.Errorf("languageCode(%q) = %q, want %q", in, got, want)
		}
	}
}
