package audit

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

var canonicalizeSeeds = []string{
	`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],` +
		`"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`,
	`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",` +
		`"\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`,
	` { "b" : [ 1 , 2 ] , "a" : { } } `,
	`[null,true,false,"",0,-0.0,[],{}]`,
	`"\b\t\n\f\r\u0000\u001F\u007f\u2028<>&\/é😀"`,
	`{"a":1,"a":2}`,
	`"\ud800"`,
	`1e400`,
	`{} {}`,
	"\"\xff\"",
	`[[[[[[[[]]]]]]]]`,
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range canonicalizeSeeds {
		f.Add([]byte(s))
	}
	for _, tt := range rfc8785Numbers {
		f.Add([]byte(strconv.FormatFloat(math.Float64frombits(tt.bits), 'g', -1, 64)))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Canonicalize(in)
		if err != nil {
			return
		}
		again, err := Canonicalize(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Canonicalize(%q) = %q, but that canonicalizes to %q, %v", in, out, again, err)
		}
		if !json.Valid(out) {
			t.Fatalf("Canonicalize(%q) = %q, not valid JSON", in, out)
		}
		want, err := decode(in)
		if err != nil {
			t.Fatalf("Canonicalize accepted %q, which encoding/json rejects: %v", in, err)
		}
		got, err := decode(out)
		if err != nil {
			t.Fatalf("Canonicalize(%q) = %q, which encoding/json rejects: %v", in, out, err)
		}
		if !sameJSON(got, want) {
			t.Fatalf("Canonicalize(%q) = %q, a different value", in, out)
		}
	})
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// sameJSON compares decoded values, numbers by the doubles they denote.
func sameJSON(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		fa, errA := a.Float64()
		fb, errB := b.Float64()
		return errA == nil && errB == nil && fa == fb
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameJSON(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if w, ok := b[k]; !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

func FuzzVerify(f *testing.F) {
	lines := testLines(f, 3)
	f.Add([]byte(strings.Join(lines, "\n") + "\n"))
	f.Add([]byte(lines[0] + "\r\n\r\n" + lines[1]))
	f.Add([]byte(lines[1] + "\n" + lines[0]))
	f.Add([]byte(strings.Replace(lines[0], `"seq":1`, `"seq":1.0`, 1)))
	f.Add([]byte(`{"seq":1}`))
	f.Add([]byte("[]\n\n{}"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, in []byte) {
		n, err := Verify(bytes.NewReader(in))
		if err != nil {
			return
		}
		entries := 0
		for line := range strings.Lines(string(in)) {
			if strings.Trim(line, " \t\r\n") != "" {
				entries++
			}
		}
		if n != entries {
			t.Fatalf("Verify(%q) = %d entries, but it has %d lines", in, n, entries)
		}
	})
}
