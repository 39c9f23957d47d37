package workload

import (
	"math/rand/v2"
	"strings"
)

// vocabularySize is how many distinct words notices are written with.
const vocabularySize = 30000

// profileSkip is how many of the commonest words profiles never pick: a
// business describes itself by what it does, not by "de" or "services".
const profileSkip = 150

// commonWords are real words of procurement notices in the languages TED
// publishes most, roughly commonest first; the vocabulary continues with
// made-up words.
const commonWords = `
de van het en in of the for and voor een la le des et du der die und für
services works supply levering diensten werkzaamheden opdracht contract
aanbesteding tender framework raamovereenkomst gemeente municipality city
onderhoud maintenance bouw construction renovatie renovation school
levering services travaux fourniture marché prestations lieferung
bauleistungen dienstleistungen rahmenvertrag usługi dostawa roboty
budowlane zamówienie werken project projects provision systeem system
software licenties licences ict cloud hosting beheer management support
advies consultancy onderzoek research training opleiding schoonmaak
cleaning catering transport vervoer leerlingenvervoer taxi afval waste
inzameling collection recycling energie energy zonnepanelen solar
panels warmtepomp heat pump verlichting lighting openbare public road
weg wegen roads asfalt asphalt riolering sewer water drinkwater bridge
brug tunnel spoor rail railway station haven port dijk dike groen
groenonderhoud bomen trees park beveiliging security bewaking camera
brandveiligheid fire alarm installaties installations elektra electrical
werktuigbouwkundige mechanical hvac ventilatie ventilation lift elevator
dak roof daken roofs gevel facade kozijnen windows schilderwerk painting
asbest asbestos sloop demolition nieuwbouw newbuild sporthal sports hall
zwembad swimming pool gemeentehuis town hall ziekenhuis hospital zorg
care medical medische apparatuur equipment geneesmiddelen medicines
dializatorów dialysis laboratory laboratorium reagentia reagents
vaccines furniture meubilair kantoor office papier paper printing
drukwerk marketing communicatie communication vertaling translation
juridisch legal accountancy audit verzekering insurance bank financial
voertuigen vehicles elektrische electric bussen buses fietsen bicycles
laadpalen charging points brandstof fuel gas electricity stroom
straße straßenbau brücke schule krankenhaus reinigung wartung
électricité bâtiment école hôpital entretien nettoyage voirie
żywność sprzątanie remont budynku szkoły drogi oświetlenie
`

// vocabulary returns the words notices are written with, the commonest
// first: commonWords, then made-up words, the same every time.
func vocabulary() []string {
	words := strings.Fields(commonWords)
	seen := make(map[string]bool, vocabularySize)
	var out []string
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	onsets := strings.Fields("b br d dr f g gr h k kl kr l m n p pl pr r s st t tr v w z sch")
	nuclei := strings.Fields("a e i o u aa ee oo ie ou ei")
	codas := strings.Fields("n r s t l k m ng rd st")
	for len(out) < vocabularySize {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(onsets[r.IntN(len(onsets))])
			b.WriteString(nuclei[r.IntN(len(nuclei))])
		}
		if r.IntN(2) == 0 {
			b.WriteString(codas[r.IntN(len(codas))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// buyers returns buyer names: a kind of body and a place.
func buyers() []string {
	kinds := []string{"Gemeente", "City of", "Stadt", "Ville de", "Miasto", "Provincie", "Hospital", "Ziekenhuis",
		"Waterschap", "University of", "Ministerie van", "Région", "Landkreis", "Politie", "Rijkswaterstaat"}
	places := []string{"Almelo", "Hengelo", "Enschede", "Zwolle", "Deventer", "Utrecht", "Amsterdam", "Rotterdam",
		"Den Haag", "Eindhoven", "Groningen", "Leeds", "Manchester", "Bristol", "Köln", "München", "Hamburg",
		"Lyon", "Lille", "Nantes", "Kraków", "Gdańsk", "Poznań", "Madrid", "Sevilla", "Milano", "Torino",
		"Göteborg", "Malmö", "Brno", "Gent", "Liège", "Wien", "Graz", "Porto", "Tampere", "Århus", "Cluj"}
	var out []string
	for _, k := range kinds {
		for _, p := range places {
			out = append(out, k+" "+p)
		}
	}
	return out
}
