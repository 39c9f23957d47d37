package feeds

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"
)

func FuzzTenderNed(f *testing.F) {
	f.Add([]byte(`{"content":[{"publicatieId":"1","typePublicatie":{"code":"AAO"},"publicatiecode":{"code":"EF16"},` +
		`"sluitingsDatum":"2027-01-15T00:05:00","aanbestedingNaam":"t","link":{"href":"https://www.tenderned.nl/aankondigingen/overzicht/1"}},` +
		`{"publicatieId":2,"typePublicatie":"MAC","procedure":"Openbaar","europees":"true"},"x"],"totalElements":"3","totalPages":1}`))
	f.Add([]byte(`{"publicatieId":407238,"cpvCodes":[{"isHoofdOpdracht":true,"code":"34000000-7"},"50600000-1"],` +
		`"nutsCodes":["NL329",{"code":"NL213"}],"tedNummer":"00012345-2026","europees":true,"waarde":{"bedrag":5,"valuta":"EUR"}}`))
	f.Add([]byte(`{"content":[{"publicatieId":{"code":[1]},"typePublicatie":{"code":{"code":"VOR"}},"kenmerk":1e400}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, err := parseTenderNed(data, "fuzz")
		checkNotices(t, notices, err, checkStructured)
		tns, _ := parseTenderNedFull(data, "fuzz")
		for _, tn := range tns {
			if tn.Country != "NL" || tn.URL == "" || tn.Why == "" {
				t.Errorf("notice %q: country %q, URL %q, why %q", tn.ID, tn.Country, tn.URL, tn.Why)
			}
			if !tn.Deadline.IsZero() && tn.Deadline.Location() != time.UTC {
				t.Errorf("notice %q: deadline %v not in UTC", tn.ID, tn.Deadline)
			}
		}
		if p, err := parseTNPage(data); err == nil && len(p.publications)+p.unreadable != len(p.Content) {
			t.Errorf("page: %d publications and %d unreadable of %d entries", len(p.publications), p.unreadable, len(p.Content))
		}
	})
}

func FuzzEFormsZIP(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.xml")
	w.Write([]byte(minimalEForms))
	w, _ = zw.Create("b.txt")
	w.Write([]byte("not a notice"))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	limits := zipLimits{entryBytes: 1 << 20, totalBytes: 4 << 20, ratio: 100, entries: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, problems, err := parseZIP(bytes.NewReader(data), int64(len(data)), "fuzz", limits)
		checkNotices(t, notices, err, checkStructured)
		if err == nil && len(notices) == 0 && len(problems) > 0 {
			t.Errorf("no notices and problems %q, but no error", problems)
		}
	})
}
