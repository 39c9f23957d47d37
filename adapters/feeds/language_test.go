package feeds

import "testing"

// TestItemLanguage reads a feed whose channel says Dutch and whose items
// are written in five languages: each item gets its own.
func TestItemLanguage(t *testing.T) {
	const feed = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><language>nl</language>
<item><title>Onderhoud van het groen</title><link>https://e.nl/1</link><description>De gemeente zoekt een aannemer voor het onderhoud van het groen in de wijken.</description></item>
<item><title>Grounds maintenance</title><link>https://e.nl/2</link><description>The council is looking for a contractor for the maintenance of its parks and the sports fields.</description></item>
<item><title>Pflege der Grünanlagen</title><link>https://e.nl/3</link><description>Die Stadt sucht für die Pflege der Grünanlagen und der Sportplätze einen Auftragnehmer mit Erfahrung.</description></item>
<item><title>Entretien des espaces verts</title><link>https://e.nl/4</link><description>La ville cherche une entreprise pour les travaux et le marché de l'entretien des parcs.</description></item>
<item><title>Mantenimiento de zonas verdes</title><link>https://e.nl/5</link><description>El ayuntamiento busca una empresa para el mantenimiento de los parques y las obras.</description></item>
<item><title>Short</title><link>https://e.nl/6</link></item>
<item><title>Stated</title><link>https://e.nl/7</link><dc:language>English</dc:language></item>
</channel></rss>`
	notices, err := Parse([]byte(feed), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"nl", "en", "de", "fr", "es", "nl", "en"}
	if len(notices) != len(want) {
		t.Fatalf("got %d notices, want %d", len(notices), len(want))
	}
	for i, n := range notices {
		if n.Language != want[i] {
			t.Errorf("item %d (%s): got language %q, want %q", i+1, n.Title, n.Language, want[i])
		}
	}
}
