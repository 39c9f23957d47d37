package feeds

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// TenderNed's publications API, as far as it is known
// (../shared/reference/NATIONAL_SOURCES.md): a Spring page of
// publications, and a detail per publication with its CPV and NUTS codes.
// Its records are loose — ids as strings or numbers, code objects as plain
// strings, null anywhere — so every field below reads whatever JSON comes
// and never fails: one odd field must not cost a publication.

// tnPage is one page of the publications list.
type tnPage struct {
	Content       []json.RawMessage `json:"content"`
	TotalElements tnText            `json:"totalElements"`
	TotalPages    tnText            `json:"totalPages"`
	Number        tnText            `json:"number"`
}

// tnPublication is one entry of the list; a detail carries the same fields
// and more (tnDetail).
type tnPublication struct {
	PublicatieID            tnText `json:"publicatieId"`
	Kenmerk                 tnText `json:"kenmerk"`
	PublicatieDatum         tnText `json:"publicatieDatum"`
	TypePublicatie          tnCode `json:"typePublicatie"`
	AanbestedingNaam        tnText `json:"aanbestedingNaam"`
	OpdrachtgeverNaam       tnText `json:"opdrachtgeverNaam"`
	AanbestedendeDienstNaam tnText `json:"aanbestedendeDienstNaam"`
	SluitingsDatum          tnText `json:"sluitingsDatum"`
	Procedure               tnCode `json:"procedure"`
	TypeOpdracht            tnCode `json:"typeOpdracht"`
	Europees                tnText `json:"europees"`
	Publicatiecode          tnCode `json:"publicatiecode"`
	VroegtijdigeBeeindiging tnText `json:"isVroegtijdigeBeeindiging"`
	OpdrachtBeschrijving    tnText `json:"opdrachtBeschrijving"`
	Link                    tnLink `json:"link"`
}

// tnDetail is the detail of one publication.
type tnDetail struct {
	tnPublication
	CPVCodes  tnCodes `json:"cpvCodes"`
	NUTSCodes tnCodes `json:"nutsCodes"`
	// raw holds every top-level field, for what has no fixed name: the
	// TED publication number, the procurement identifier, the value.
	raw map[string]json.RawMessage
}

// parseTNDetail reads a detail document; ok is false when it is no JSON
// object.
func parseTNDetail(data []byte) (d tnDetail, ok bool) {
	if json.Unmarshal(data, &d.raw) != nil || d.raw == nil {
		return tnDetail{}, false
	}
	_ = json.Unmarshal(data, &d) // every field is lenient: nothing fails
	return d, true
}

// tnText is a scalar written as a string, a number or a boolean; an
// object gives its code or description, a list its first element, null
// nothing.
type tnText string

func (t *tnText) UnmarshalJSON(b []byte) error {
	*t = tnText(jsonScalar(b))
	return nil
}

func (t tnText) String() string { return strings.TrimSpace(string(t)) }

// Bool reads "true", "1", "ja" as true.
func (t tnText) Bool() bool {
	switch strings.ToLower(t.String()) {
	case "true", "1", "ja", "yes", "j":
		return true
	}
	return false
}

// Int reads the text as a whole number; ok is false when it is none.
func (t tnText) Int() (int, bool) {
	f, err := strconv.ParseFloat(t.String(), 64)
	if err != nil || f < 0 || f > 1e9 {
		return 0, false
	}
	return int(f), true
}

// jsonScalar is the text of a JSON scalar, "" for null or anything that
// is no scalar; an object gives its "code", else its "omschrijving", a
// list its first element's text.
func jsonScalar(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	case '{':
		var c tnCode
		_ = c.UnmarshalJSON(b)
		return firstNonEmpty(c.Code, c.Words)
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(b, &list) == nil && len(list) > 0 {
			return jsonScalar(list[0])
		}
	case 'n':
		return ""
	default:
		var n json.Number
		if json.Unmarshal(b, &n) == nil {
			// An id written 443728.0 is the id 443728.
			if f, err := n.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
				return strconv.FormatInt(int64(f), 10)
			}
			return n.String()
		}
		var v bool
		if json.Unmarshal(b, &v) == nil {
			return strconv.FormatBool(v)
		}
	}
	return ""
}

// tnCode is a coded value, {"code": "AAO", "omschrijving": "Aankondiging
// opdracht"}, or the same written as a plain string: a short upper-case
// word is taken for the code ("AAO", "EF16"), anything else for the words
// ("Openbaar").
type tnCode struct {
	Code  string
	Words string
}

func (c *tnCode) UnmarshalJSON(b []byte) error {
	*c = tnCode{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) == nil {
			c.Code = strings.TrimSpace(jsonScalar(obj["code"]))
			c.Words = strings.TrimSpace(firstNonEmpty(jsonScalar(obj["omschrijving"]), jsonScalar(obj["description"])))
		}
		return nil
	}
	s := strings.TrimSpace(jsonScalar(b))
	if looksLikeCode(s) {
		c.Code = s
	} else {
		c.Words = s
	}
	return nil
}

// looksLikeCode reports whether s has the shape of a TenderNed code: one
// to six capitals and digits.
func looksLikeCode(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// tnLink is {"href": …} or the address as a plain string.
type tnLink struct{ Href string }

func (l *tnLink) UnmarshalJSON(b []byte) error {
	*l = tnLink{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) == nil {
			l.Href = strings.TrimSpace(jsonScalar(obj["href"]))
		}
		return nil
	}
	l.Href = strings.TrimSpace(jsonScalar(b))
	return nil
}

// tnCodes is a list of codes, each an object ({"code": "34000000-7",
// "isHoofdOpdracht": true}) or a bare string ("NL329"); one code alone
// need not be in a list.
type tnCodes []tnListedCode

// tnListedCode is one code of a tnCodes list.
type tnListedCode struct {
	Code string
	Main bool // isHoofdOpdracht: the main CPV code
}

func (cs *tnCodes) UnmarshalJSON(b []byte) error {
	*cs = nil
	b = bytes.TrimSpace(b)
	var elems []json.RawMessage
	if len(b) > 0 && b[0] == '[' {
		if json.Unmarshal(b, &elems) != nil {
			return nil
		}
	} else {
		elems = []json.RawMessage{b}
	}
	for _, e := range elems {
		e = bytes.TrimSpace(e)
		var c tnListedCode
		if len(e) > 0 && e[0] == '{' {
			var obj map[string]json.RawMessage
			if json.Unmarshal(e, &obj) != nil {
				continue
			}
			c.Code = strings.TrimSpace(jsonScalar(obj["code"]))
			c.Main = tnText(jsonScalar(obj["isHoofdOpdracht"])).Bool()
		} else {
			c.Code = strings.TrimSpace(jsonScalar(e))
		}
		if c.Code != "" && len(*cs) < maxCodes {
			*cs = append(*cs, c)
		}
	}
	return nil
}
