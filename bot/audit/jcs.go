package audit

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects, as encoding/json does.
const maxDepth = 10000

// The parsed form of a JSON value: nil, bool, number, string, []any or
// object.
type (
	// number is a JSON number already in its canonical form.
	number string
	// object holds an object's members sorted by name, with no name twice.
	object []member
	member struct {
		name string
		val  any
	}
)

// get returns the value of the member called name.
func (o object) get(name string) (any, bool) {
	if i := slices.IndexFunc(o, func(m member) bool { return m.name == name }); i >= 0 {
		return o[i].val, true
	}
	return nil, false
}

// Canonicalize returns the JSON text raw in the canonical form of RFC 8785
// (JSON Canonicalization Scheme): no whitespace, object members sorted by
// name as UTF-16 code units, strings and numbers written as ECMAScript's
// JSON.stringify writes them. Following I-JSON (RFC 7493), it rejects
// invalid UTF-8, escaped lone surrogates, duplicate member names and numbers
// beyond the range of an IEEE-754 double.
func Canonicalize(raw []byte) ([]byte, error) {
	v, err := parse(raw)
	if err != nil {
		return nil, err
	}
	return appendValue(nil, v), nil
}

// Marshal encodes v with encoding/json and returns the canonical form.
func Marshal(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshal: %w", err)
	}
	return Canonicalize(raw)
}

// parse reads exactly one JSON value from raw.
func parse(raw []byte) (any, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("jcs: invalid UTF-8")
	}
	if loneSurrogate(raw) {
		return nil, errors.New("jcs: string escapes a lone UTF-16 surrogate")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := parseValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("jcs: data after the JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	switch t := tok.(type) {
	case nil, bool, string:
		return t, nil
	case json.Number:
		return parseNumber(string(t))
	case json.Delim:
		if depth >= maxDepth {
			return nil, fmt.Errorf("jcs: nested deeper than %d", maxDepth)
		}
		if t == '[' {
			return parseArray(dec, depth+1)
		}
		if t == '{' {
			return parseObject(dec, depth+1)
		}
	}
	return nil, fmt.Errorf("jcs: unexpected %v", tok)
}

func parseArray(dec *json.Decoder, depth int) (any, error) {
	a := []any{}
	for dec.More() {
		v, err := parseValue(dec, depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	return a, closing(dec, ']')
}

func parseObject(dec *json.Decoder, depth int) (any, error) {
	o := object{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("jcs: %w", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("jcs: object member name is %v, not a string", tok)
		}
		v, err := parseValue(dec, depth)
		if err != nil {
			return nil, err
		}
		o = append(o, member{name, v})
	}
	if err := closing(dec, '}'); err != nil {
		return nil, err
	}
	slices.SortFunc(o, func(a, b member) int { return compareUTF16(a.name, b.name) })
	for i := 1; i < len(o); i++ {
		if o[i].name == o[i-1].name {
			return nil, fmt.Errorf("jcs: duplicate object member %q", o[i].name)
		}
	}
	return o, nil
}

// closing reads the delimiter that ends an array or object.
func closing(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return fmt.Errorf("jcs: %w", err)
	}
	if tok != want {
		return fmt.Errorf("jcs: unexpected %v, want %v", tok, want)
	}
	return nil
}

// compareUTF16 orders strings as arrays of UTF-16 code units (RFC 8785
// §3.2.3). That differs from byte order of UTF-8 only where a character
// beyond U+FFFF meets one from U+E000 to U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := firstUnit(ra), firstUnit(rb)
			if ua == ub { // both beyond U+FFFF, where code point order is UTF-16 order
				return cmp.Compare(ra, rb)
			}
			return cmp.Compare(ua, ub)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// firstUnit is the first UTF-16 code unit of r.
func firstUnit(r rune) rune {
	if r > 0xFFFF {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}

// loneSurrogate reports whether a string in raw escapes half of a UTF-16
// surrogate pair without the other, which encoding/json would silently
// replace with U+FFFD. Anything else that is wrong is left to the decoder.
func loneSurrogate(raw []byte) bool {
	inString := false
	for i := 0; i < len(raw); i++ {
		switch {
		case raw[i] == '"':
			inString = !inString
		case raw[i] == '\\' && inString:
			i++
			if i >= len(raw) || raw[i] != 'u' {
				continue
			}
			r := hex4(raw[i+1:])
			i += 4
			switch {
			case 0xDC00 <= r && r <= 0xDFFF:
				return true
			case 0xD800 <= r && r <= 0xDBFF:
				if i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
					return true
				}
				if low := hex4(raw[i+3:]); low < 0xDC00 || low > 0xDFFF {
					return true
				}
				i += 6
			}
		}
	}
	return false
}

// hex4 decodes four hex digits at the start of b, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(n)
}

// parseNumber converts a JSON number to the IEEE-754 double it denotes and
// writes that as ECMAScript's Number.prototype.toString does (RFC 8785
// §3.2.2.3).
func parseNumber(s string) (number, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", fmt.Errorf("jcs: number %.40s: %w", s, err)
	}
	return number(formatNumber(f)), nil
}

// formatNumber writes a finite double the ECMAScript way: the shortest
// digits that round-trip, without an exponent from 1e-6 up to below 1e21.
func formatNumber(f float64) string {
	if f == 0 {
		return "0" // and -0 too
	}
	// The shortest round-trip digits, as strconv's 'g' with precision -1
	// finds them, in the 'e' layout: d.ddde±x.
	s := strconv.FormatFloat(f, 'e', -1, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mant, exp, _ := strings.Cut(s, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	// In ECMAScript's terms the value is 0.digits × 10^n, k digits.
	k, n := len(digits), x+1
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	if k > 1 {
		digits = digits[:1] + "." + digits[1:]
	}
	if n-1 < 0 {
		return sign + digits + "e-" + strconv.Itoa(1-n)
	}
	return sign + digits + "e+" + strconv.Itoa(n-1)
}

// appendValue appends the canonical encoding of a parsed value.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case number:
		return append(b, v...)
	case string:
		return appendString(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case object:
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m.name)
			b = append(b, ':')
			b = appendValue(b, m.val)
		}
		return append(b, '}')
	}
	panic(fmt.Sprintf("audit: appendValue of %T", v))
}

// appendString quotes s as JSON.stringify does: only the quote, the
// backslash and control characters are escaped; everything else is
// written as UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		if j := strings.IndexByte("\"\\\b\t\n\f\r", c); j >= 0 {
			b = append(b, '\\', "\"\\btnfr"[j])
		} else {
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
