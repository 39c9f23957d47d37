package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Format
	}{
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, FormatRSS},
		{"rss 1.0 (RDF)", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, FormatRSS},
		{"atom after a comment and BOM", "\xef\xbb\xbf<!-- hi --><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", FormatAtom},
		{"eforms contract notice", `<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>`, FormatEForms},
		{"eforms PIN", `<PriorInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"/>`, FormatEForms},
		{"json feed", `{"version": "https://jsonfeed.org/version/1.1", "title": "t"}`, FormatJSONFeed},
		{"json feed by its items", `{"title": "t", "items": []}`, FormatJSONFeed},
		{"ocds release package", `{"uri": "x", "version": "1.1", "releases": []}`, FormatOCDS},
		{"ocds record package", `{"records": [{"ocid": "a"}]}`, FormatOCDS},
		{"ocds bare release", `{"ocid": "ocds-x-1", "tag": ["tender"]}`, FormatOCDS},
		{"ocds release array", `[{"ocid": "ocds-x-1"}]`, FormatOCDS},
		{"truncated ocds package", `{"uri": "x", "releases": [{"ocid": "ocds-x-1", "tend`, FormatOCDS},
		{"ted page", `{"notices": [], "totalNoticeCount": 0}`, FormatTED},
		{"ted record", `{"ND": "622690-2023", "content": "PD94"}`, FormatTED},
		{"html", `<!DOCTYPE html><html><body/></html>`, ""},
		{"other xml", `<kml><Document/></kml>`, ""},
		{"other json", `{"results": []}`, ""},
		{"array of something else", `[1, 2]`, ""},
		{"empty", "  ", ""},
		{"text", "hello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.data)); got != tt.want {
				t.Errorf("Detect = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDetectFiles detects the fixtures and every sample by content.
func TestDetectFiles(t *testing.T) {
	want := map[string]Format{
		"testdata/atom.xml": FormatAtom, "testdata/jsonfeed.json": FormatJSONFeed, "testdata/placsp.xml": FormatAtom,
		"testdata/ocds-fts.json": FormatOCDS, "testdata/ocds-records.json": FormatOCDS,
		"testdata/ted-page-1.json": FormatTED, "testdata/ted-page-2.json": FormatTED, "testdata/malformed.xml": FormatRSS,
		"testdata/page.html": "",
	}
	bySampleDir := map[string]Format{
		"ted-eforms-real": FormatEForms, "ted-eforms-sdk-examples": FormatEForms,
		"ted-api-json": FormatTED, "uk-contracts-finder-ocds": FormatOCDS,
	}
	samples, _ := filepath.Glob(filepath.Join(samplesDir, "*", "*.*"))
	for _, s := range samples {
		if f, ok := bySampleDir[filepath.Base(filepath.Dir(s))]; ok {
			want[s] = f
		}
	}
	for path, format := range want {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(data); got != format {
			t.Errorf("Detect(%s) = %q, want %q", path, got, format)
		}
	}
}

func TestFormatFromName(t *testing.T) {
	for _, f := range Formats() {
		if got, err := FormatFromName(strings.ToUpper(string(f))); got != f || err != nil {
			t.Errorf("FormatFromName(%q) = %q, %v; want %q", strings.ToUpper(string(f)), got, err, f)
		}
	}
	if _, err := FormatFromName("csv"); err == nil || !strings.Contains(err.Error(), "auto, rss, atom, jsonfeed, ocds, eforms, ted") {
		t.Errorf("FormatFromName(csv): got %v, want an error listing the formats", err)
	}
}

// TestParseFormatForced checks that a format given overrides detection,
// and that the wrong one is an error that says what went wrong.
func TestParseFormatForced(t *testing.T) {
	ocds, err := os.ReadFile("testdata/ocds-records.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		data   []byte
		format Format
		want   string // in the error; "" for none
	}{
		{"ocds as ocds", ocds, FormatOCDS, ""},
		{"ocds as eforms", ocds, FormatEForms, "malformed eForms XML"},
		{"ocds as ted", ocds, FormatTED, "not a TED API response"},
		{"ocds as rss", ocds, FormatRSS, "not a JSON Feed"},
		{"rss as eforms", []byte(tinyRSS), FormatEForms, "not an eForms notice: the root element is rss"},
		{"rss as ocds", []byte(tinyRSS), FormatOCDS, "malformed OCDS JSON"},
		{"ted page as ocds", []byte(`{"notices": []}`), FormatOCDS, "not an OCDS release or record package"},
		{"unknown format", ocds, "csv", `unknown format "csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notices, err := ParseFormat(tt.data, tt.format, "t")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got error %v, want notices", err)
			case tt.want == "" && len(notices) == 0:
				t.Errorf("got no notices")
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got error %v, want one saying %q", err, tt.want)
			case tt.want != "" && notices != nil:
				t.Errorf("got notices %v with the error", notices)
			}
		})
	}
	if _, err := ParseFormat([]byte(tinyRSS), FormatEForms, "t"); !errors.Is(err, errNotEForms) {
		t.Errorf("errors.Is(%v, errNotEForms) = false", err)
	}
}

// fieldCheck is one field of a notice and what it should be.
type fieldCheck struct{ field, got, want string }

func checkFields(t *testing.T, checks []fieldCheck) {
	t.Helper()
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
		}
	}
}

// rejectCase is a document a parser must reject, with what the error must
// say.
type rejectCase struct{ name, data, want string }

func checkRejects(t *testing.T, parse func([]byte) error, tests []rejectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := parse([]byte(tt.data)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one saying %q", err, tt.want)
			}
		})
	}
}
