package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// Format is a document format Parse reads.
type Format string

// Formats. FormatAuto detects the format from the document itself.
const (
	FormatAuto     Format = "auto"
	FormatRSS      Format = "rss"      // RSS 0.9–2.0 and RDF
	FormatAtom     Format = "atom"     // Atom, also with CODICE elements (Spain's PLACSP)
	FormatJSONFeed Format = "jsonfeed" // JSON Feed 1.0 and 1.1
	FormatOCDS     Format = "ocds"     // an OCDS release package, record package or release
	FormatEForms   Format = "eforms"   // one TED eForms notice (UBL 2.3 XML)
	FormatTED      Format = "ted"      // a TED Search API v3 response page, or one notice of it
	// FormatTenderNed is a page of TenderNed's publications API, or one
	// publication (a list entry or a detail).
	FormatTenderNed Format = "tenderned"
	// FormatEFormsZIP is a ZIP archive of eForms notices, one a file, as
	// Germany's notice export service publishes a day.
	FormatEFormsZIP Format = "eforms-zip"
)

// Formats returns every format, FormatAuto first.
func Formats() []Format {
	return []Format{FormatAuto, FormatRSS, FormatAtom, FormatJSONFeed, FormatOCDS, FormatEForms, FormatTED, FormatTenderNed, FormatEFormsZIP}
}

// FormatFromName returns the format called name ("ocds", "TED"), or an
// error that lists the formats there are.
func FormatFromName(name string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(name)))
	if !slices.Contains(Formats(), f) {
		return "", fmt.Errorf("unknown format %q: use one of %s", name, formatList())
	}
	return f, nil
}

// Parse reads a feed or notice document of any format Detect knows and
// returns its notices, with Source set to source. It is ParseFormat with
// FormatAuto.
func Parse(data []byte, source string) ([]bot.Notice, error) {
	return ParseFormat(data, FormatAuto, source)
}

// ParseFormat reads data as format (FormatAuto or "": as Detect says) and
// returns its notices in document order, each once, with Source set to
// source. A document that is no format tenderbot reads is an error that
// says what it looks like instead.
func ParseFormat(data []byte, format Format, source string) ([]bot.Notice, error) {
	if doc := trimDocument(data); len(doc) > 0 && doc[0] == '<' {
		if err := checkXMLShape(doc); err != nil {
			return nil, err
		}
	}
	if format == FormatAuto || format == "" {
		format = Detect(data)
	}
	switch format {
	case FormatRSS, FormatAtom, FormatJSONFeed, "":
		// Undetected documents too: gofeed's own detection, and the
		// error that says what the document looks like.
		return parseSyndication(data, source)
	case FormatOCDS:
		return parseOCDS(data, source)
	case FormatEForms:
		en, err := ParseEForms(data, source)
		if err != nil {
			return nil, err
		}
		return []bot.Notice{en.Notice}, nil
	case FormatTED:
		return parseTED(data, source)
	case FormatTenderNed:
		return parseTenderNed(data, source)
	case FormatEFormsZIP:
		notices, _, err := parseZIPBytes(data, source)
		return notices, err
	}
	_, err := FormatFromName(string(format))
	return nil, err
}

func formatList() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// Detect tells the format of a document from its start: the root element of
// XML, the top-level keys of JSON. It returns "" for anything else.
func Detect(data []byte) Format {
	if isZIP(data) {
		return FormatEFormsZIP
	}
	data = trimDocument(data)
	switch {
	case len(data) == 0:
		return ""
	case data[0] == '{' || data[0] == '[':
		return detectJSON(data)
	case data[0] == '<':
		return detectXML(data)
	}
	return ""
}

// trimDocument drops a byte order mark and the white space around a
// document.
func trimDocument(data []byte) []byte {
	return bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
}

// detectXML tells the format by the root element.
func detectXML(data []byte) Format {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = passCharset
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch root := start.Name.Local; {
		case root == "rss" || root == "RDF":
			return FormatRSS
		case root == "feed":
			return FormatAtom
		case eformsRoots[root]:
			return FormatEForms
		}
		return ""
	}
}

// detectJSON tells the format by the first top-level key that is telling,
// reading no further: a truncated OCDS package is still known as one, and
// gets an error about its JSON rather than about feeds. An array is taken
// for a list of OCDS releases when its first element has an ocid.
func detectJSON(data []byte) Format {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return ""
	} else if tok == json.Delim('[') {
		var first map[string]json.RawMessage
		if dec.Decode(&first) == nil && first["ocid"] != nil {
			return FormatOCDS
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		key, ok := tok.(string)
		if !ok {
			return "" // the end of the object
		}
		switch key {
		case "releases", "records", "ocid":
			return FormatOCDS
		case "notices", "iterationNextToken", "totalNoticeCount", "publication-number", "ND":
			return FormatTED
		case "items", "feed_url", "home_page_url":
			return FormatJSONFeed
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return ""
		}
		if key == "version" && bytes.Contains(value, []byte("jsonfeed.org")) {
			return FormatJSONFeed
		}
		if isTenderNedKey(key, value) {
			return FormatTenderNed
		}
	}
}
