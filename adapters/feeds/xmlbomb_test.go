package feeds

import (
	"runtime"
	"strings"
	"testing"
)

// bomb is an XML document of about size bytes: open, then repeated, then
// close, with every unit of repeat nested inside the one before when nest is
// set.
func bomb(open, close string, size int, nest bool) []byte {
	var b strings.Builder
	b.WriteString(open)
	n := 0
	for b.Len() < size {
		if nest {
			b.WriteString("<x>")
		} else {
			b.WriteString("<x/>")
		}
		n++
	}
	if nest {
		b.WriteString(strings.Repeat("</x>", n))
	}
	b.WriteString(close)
	return []byte(b.String())
}

const (
	rssOpen  = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title>`
	rssClose = `</item></channel></rss>`
	atomOpen = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title>`
	atomEnd  = `</entry></feed>`
)

// TestParseRefusesXMLBombs checks that a deeply nested or enormously wide
// XML document is refused with a reason its owner can act on, on every XML
// path, and that refusing it costs memory of a small multiple of its size.
func TestParseRefusesXMLBombs(t *testing.T) {
	const size = 2 << 20
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"RSS nested", bomb(rssOpen, rssClose, size, true), "nested deeper than 200"},
		{"Atom nested", bomb(atomOpen, atomEnd, size, true), "nested deeper than 200"},
		{"RSS nested in the channel", bomb(`<rss version="2.0"><channel>`, `</channel></rss>`, size, true), "nested deeper than 200"},
		{"eForms nested", bomb(`<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2">`, `</ContractNotice>`, size, true), "nested deeper than 200"},
		{"undetected XML nested", bomb(`<whatever>`, `</whatever>`, size, true), "nested deeper than 200"},
		{"RSS wide", bomb(rssOpen, rssClose, 5*maxXMLElements, false), "more than 1000000 elements"},
		{"eForms wide", bomb(`<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2">`, `</ContractNotice>`, 5*maxXMLElements, false), "more than 1000000 elements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Parse(tt.doc, "test")
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a refusal saying %q", err, tt.want)
			}
			if strings.HasSuffix(tt.name, " wide") {
				return // its size is set by the element bound, not by size
			}
			if used := after.TotalAlloc - before.TotalAlloc; used > 20*uint64(len(tt.doc)) {
				t.Errorf("allocated %d bytes for a %d-byte document, want under 20 times its size", used, len(tt.doc))
			}
		})
	}
}

func TestParseEFormsRefusesAWideDocument(t *testing.T) {
	doc := bomb(`<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2">`, `</ContractNotice>`, 5*maxXMLElements, false)
	if _, err := ParseEForms(doc, "test"); err == nil || !strings.Contains(err.Error(), "more than 1000000 elements") {
		t.Errorf("got %v, want the element bound named", err)
	}
}
