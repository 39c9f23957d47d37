package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
)

// NextPage returns the address of the next page of a paged document: an
// OCDS package's links.next (Contracts Finder, Find a Tender), or the
// rel="next" link of an Atom feed or RSS channel (RFC 5005 paging, as
// PLACSP uses). It returns "" on the last page and for documents that do
// not page. A TED API page pages by token instead: see NextIterationToken.
func NextPage(data []byte) string {
	switch Detect(data) {
	case FormatOCDS:
		var p ocdsPackage
		if json.Unmarshal(data, &p) == nil {
			return strings.TrimSpace(p.Links.Next)
		}
	case FormatAtom, FormatRSS:
		return feedNextLink(data)
	}
	return ""
}

// feedNextLink returns the href of the feed's or channel's link with
// rel="next", skipping the entries and items.
func feedNextLink(data []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = passCharset
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "entry", "item":
				if dec.Skip() != nil {
					return ""
				}
				continue
			case "link":
				if depth <= 2 && attrValue(t.Attr, "rel") == "next" {
					return strings.TrimSpace(attrValue(t.Attr, "href"))
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}
