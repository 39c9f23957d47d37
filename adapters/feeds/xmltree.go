package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A small namespace-aware element tree for UBL documents. eForms fields are
// defined by XPaths ("cac:ProcurementProject/cbc:Name"); reading the
// notice with the same paths keeps the code next to the specification.
// Names are matched by namespace URI, never by the prefix a document
// happens to use.

// ublNamespaces are the namespaces of eForms notices (UBL 2.3 with the
// eForms extensions), by the prefixes the eForms SDK uses in its XPaths.
var ublNamespaces = map[string]string{
	"cbc":   "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
	"cac":   "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
	"ext":   "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
	"efac":  "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
	"efbc":  "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
	"efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}

// maxXMLDepth bounds the nesting of a document; eForms notices and feeds
// stay under 20 levels.
const maxXMLDepth = 200

// maxXMLElements bounds the elements of a document: a feed of 100,000 items
// of a few elements each stays under it.
const maxXMLElements = 1_000_000

// checkXMLShape refuses an XML document nested deeper than maxXMLDepth or
// holding more than maxXMLElements elements, before a parser builds it in
// memory: a parser's tree of a deeply nested document costs hundreds of
// times its size. The scan reads tokens without keeping them, so it costs
// little more than the document. Errors in the XML itself are left to the
// parser, which reports them better.
func checkXMLShape(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = passCharset
	depth, elements := 0, 0
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return nil
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxXMLDepth {
				return fmt.Errorf("refused: its elements are nested deeper than %d levels (a feed needs fewer than 20)", maxXMLDepth)
			}
			if elements > maxXMLElements {
				return fmt.Errorf("refused: it has more than %d elements (a feed of 100,000 items needs fewer); split it into pages", maxXMLElements)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// element is one XML element: its resolved name, attributes, text and
// child elements.
type element struct {
	name     xml.Name
	attrs    []xml.Attr
	text     string
	children []*element
}

// parseXMLTree reads a whole XML document into a tree and returns its root.
func parseXMLTree(data []byte) (*element, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = passCharset
	var root *element
	var stack []*element
	var text []*strings.Builder
	elements := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("more than one root element")
			}
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("refused: its elements are nested deeper than %d levels", maxXMLDepth)
			}
			if elements++; elements > maxXMLElements {
				return nil, fmt.Errorf("refused: it has more than %d elements", maxXMLElements)
			}
			e := &element{name: t.Name, attrs: t.Attr}
			if len(stack) == 0 {
				root = e
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, e)
			}
			stack = append(stack, e)
			text = append(text, new(strings.Builder))
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1].Write(t)
			}
		case xml.EndElement:
			// A declared encoding is not converted (see passCharset):
			// bytes that are no UTF-8 go.
			stack[len(stack)-1].text = strings.TrimSpace(strings.ToValidUTF8(text[len(text)-1].String(), ""))
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// passCharset reads documents that declare an encoding other than UTF-8 as
// they are (eForms notices are UTF-8; a Latin-1 declaration is a mistake
// more often than not); text that is not UTF-8 is cleaned up where it is
// read.
func passCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// all returns the elements at path below e, in document order. A path is
// prefixed names separated by slashes, the prefixes those of ublNamespaces:
// "cac:ProcurementProject/cbc:Name".
func (e *element) all(path string) []*element {
	if e == nil {
		return nil
	}
	found := []*element{e}
	for step := range strings.SplitSeq(path, "/") {
		prefix, local, _ := strings.Cut(step, ":")
		space := ublNamespaces[prefix]
		var next []*element
		for _, f := range found {
			for _, c := range f.children {
				if c.name.Local == local && c.name.Space == space {
					next = append(next, c)
				}
			}
		}
		found = next
	}
	return found
}

// first returns the first element at path below e, or nil.
func (e *element) first(path string) *element {
	if all := e.all(path); len(all) > 0 {
		return all[0]
	}
	return nil
}

// value returns the text of the first element at path below e, "" when
// there is none.
func (e *element) value(path string) string {
	if f := e.first(path); f != nil {
		return f.text
	}
	return ""
}

// attr returns the value of e's attribute with the local name, "" when e is
// nil or has no such attribute.
func (e *element) attr(local string) string {
	if e == nil {
		return ""
	}
	return attrValue(e.attrs, local)
}

// attrValue returns the value of the attribute with the local name, "" when
// there is none.
func attrValue(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
