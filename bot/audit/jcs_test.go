package audit

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// The number table of RFC 8785 Appendix B: IEEE-754 bit patterns and their
// canonical form.
var rfc8785Numbers = []struct {
	bits uint64
	want string
}{
	{0x0000000000000000, "0"},
	{0x8000000000000000, "0"},
	{0x0000000000000001, "5e-324"},
	{0x8000000000000001, "-5e-324"},
	{0x7fefffffffffffff, "1.7976931348623157e+308"},
	{0xffefffffffffffff, "-1.7976931348623157e+308"},
	{0x4340000000000000, "9007199254740992"},
	{0xc340000000000000, "-9007199254740992"},
	{0x4430000000000000, "295147905179352830000"},
	{0x44b52d02c7e14af5, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6, "1e+23"},
	{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4e, "999999999999999700000"},
	{0x444b1ae4d6e2ef4f, "999999999999999900000"},
	{0x444b1ae4d6e2ef50, "1e+21"},
	{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8d, "0.000001"},
	{0x41b3de4355555553, "333333333.3333332"},
	{0x41b3de4355555554, "333333333.33333325"},
	{0x41b3de4355555555, "333333333.3333333"},
	{0x41b3de4355555556, "333333333.3333334"},
	{0x41b3de4355555557, "333333333.33333343"},
	{0xbecbf647612f3696, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959, "1424953923781206.2"},
}

func TestCanonicalizeRFC8785Numbers(t *testing.T) {
	for _, tt := range rfc8785Numbers {
		in := strconv.FormatFloat(math.Float64frombits(tt.bits), 'g', -1, 64)
		got, err := Canonicalize([]byte(in))
		if err != nil {
			t.Errorf("%016x: Canonicalize(%s): %v", tt.bits, in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%016x: Canonicalize(%s) = %s, want %s", tt.bits, in, got, tt.want)
		}
	}
}

func TestCanonicalizeNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"-0.0", "0"},
		{"100", "100"},
		{"1e2", "100"},
		{"4.50", "4.5"},
		{"1E30", "1e+30"},
		{"2e-3", "0.002"},
		{"0.1", "0.1"},
		{"1e-7", "1e-7"},
		{"-1.5e-7", "-1.5e-7"},
		{"123e-9", "1.23e-7"},
		{"0.00000123", "0.00000123"},
		{"9007199254740993", "9007199254740992"},
		{"123456789012345678901234", "1.2345678901234569e+23"},
		{"100000000000000000000", "100000000000000000000"},
		{"1e-400", "0"},
	}
	for _, tt := range tests {
		got, err := Canonicalize([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("Canonicalize(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

// TestCanonicalizeRFC8785Example is the example of RFC 8785 §3.2.2 and
// §3.2.4.
func TestCanonicalizeRFC8785Example(t *testing.T) {
	in := `{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`
	want := `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestCanonicalizeRFC8785Sorting is the example of RFC 8785 §3.2.3: names
// sort as UTF-16 code units, so the emoji (U+D83D U+DE00) comes before
// U+FB33 although its code point is larger.
func TestCanonicalizeRFC8785Sorting(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	want := `{"\r":"Carriage Return",` +
		"\"1\":\"One\"," +
		"\"\u0080\":\"Control\"," +
		"\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
		"\"\u20ac\":\"Euro Sign\"," +
		"\"\U0001F600\":\"Emoji: Grinning Face\"," +
		"\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	got, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCanonicalizeStructure(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"whitespace", " { \"b\" : [ 1 , 2 ] ,\n\t\"a\" : { } }\r\n", `{"a":{},"b":[1,2]}`},
		{"nested sort", `{"z":{"y":1,"x":2},"a":[{"c":1,"b":2}]}`, `{"a":[{"b":2,"c":1}],"z":{"x":2,"y":1}}`},
		{"name prefix", `{"ab":1,"a":2,"":3}`, `{"":3,"a":2,"ab":1}`},
		{"scalars", `[null,true,false,"",0,[],{}]`, `[null,true,false,"",0,[],{}]`},
		{"top-level string", `"x"`, `"x"`},
		{"short escapes", `"\b\t\n\f\r"`, `"\b\t\n\f\r"`},
		{"other controls", `"\u0000\u0001\u001F"`, `"\u0000\u0001\u001f"`},
		{"quote and backslash", `"\"\\"`, `"\"\\"`},
		{"solidus", `"\/"`, `"/"`},
		{"no HTML escaping", `"\u003c\u003e\u0026"`, `"<>&"`},
		{"DEL as is", `"\u007f"`, "\"\x7f\""},
		{"line separators as is", `"\u2028\u2029"`, "\"\u2028\u2029\""},
		{"non-ASCII as UTF-8", `"\u00e9\u4e2d"`, `"é中"`},
		{"surrogate pair", `"\uD83D\uDE00"`, `"😀"`},
		{"raw UTF-8", `"é😀"`, `"é😀"`},
		{"escaped names", `{"\u0062":1,"a":2}`, `{"a":2,"b":1}`},
	}
	for _, tt := range tests {
		got, err := Canonicalize([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: Canonicalize(%q) = %q, %v; want %q", tt.name, tt.in, got, err, tt.want)
		}
	}
}

func TestCanonicalizeRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "unexpected EOF"},
		{"blank", " \n", "unexpected EOF"},
		{"trailing value", `{} {}`, "data after"},
		{"trailing garbage", `1 x`, "data after"},
		{"trailing bracket", `[]]`, "data after"},
		{"unclosed", `[1,`, "unexpected EOF"},
		{"trailing comma", `[1,]`, "jcs:"},
		{"bare word", `nul`, "jcs:"},
		{"single quotes", `'a'`, "jcs:"},
		{"NaN", `NaN`, "jcs:"},
		{"Infinity", `[Infinity]`, "jcs:"},
		{"leading zero", `01`, "jcs:"},
		{"number name", `{1:2}`, "jcs:"},
		{"invalid UTF-8", "\"\xff\"", "UTF-8"},
		{"overlong UTF-8", "\"\xc0\xaf\"", "UTF-8"},
		{"raw control", "\"\x01\"", "jcs:"},
		{"duplicate names", `{"a":1,"a":2}`, `duplicate object member "a"`},
		{"duplicate by escape", `{"a":1,"\u0061":2}`, `duplicate object member "a"`},
		{"nested duplicate", `[{"b":{"x":1,"x":1}}]`, `duplicate object member "x"`},
		{"lone high surrogate", `"\ud800"`, "surrogate"},
		{"lone low surrogate", `"\udc00"`, "surrogate"},
		{"high then other", `"\ud800\u0041"`, "surrogate"},
		{"high then high", `"\ud800\ud800"`, "surrogate"},
		{"high at end", `"a\uD83D"`, "surrogate"},
		{"swapped pair", `"\ude00\ud83d"`, "surrogate"},
		{"too large", `1e400`, "out of range"},
		{"too large negative", `[-1e309]`, "out of range"},
		{"too deep", strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1), "nested deeper"},
	}
	for _, tt := range tests {
		got, err := Canonicalize([]byte(tt.in))
		if err == nil {
			t.Errorf("%s: Canonicalize(%q) = %q, want an error", tt.name, tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Canonicalize(%q): %v, want it to mention %q", tt.name, tt.in, err, tt.want)
		}
	}
}

func TestCanonicalizeDeepButAllowed(t *testing.T) {
	in := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	got, err := Canonicalize([]byte(in))
	if err != nil || string(got) != in {
		t.Errorf("Canonicalize of %d nested arrays: %v", maxDepth, err)
	}
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "a", -1},
		{"a", "ab", -1},
		{"b", "ab", 1},
		{"\uffff", "\U00010000", 1},  // U+FFFF against U+D800 U+DC00
		{"\ue000", "\U0010ffff", 1},  // U+E000 against U+DBFF U+DFFF
		{"\ud7ff", "\U00010000", -1}, // U+D7FF against U+D800 U+DC00
		{"\U00010000", "\U00010400", -1},
		{"\U0001F600", "\U0001F601", -1},
		{"x\U0001F600", "x\ufb33", -1},
	}
	for _, tt := range tests {
		got := compareUTF16(tt.a, tt.b)
		if sign(got) != tt.want {
			t.Errorf("compareUTF16(%+q, %+q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
		if back := compareUTF16(tt.b, tt.a); sign(back) != -tt.want {
			t.Errorf("compareUTF16(%+q, %+q) = %d, want sign %d", tt.b, tt.a, back, -tt.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestMarshal(t *testing.T) {
	type payload struct {
		Name  string  `json:"name"`
		Score float64 `json:"score"`
		HTML  string  `json:"html"`
		Count int     `json:"count"`
	}
	got, err := Marshal(payload{Name: "Zoë", Score: 1e21, HTML: "<a&b>", Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"count":3,"html":"<a&b>","name":"Zoë","score":1e+21}`
	if string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	if _, err := Marshal(math.Inf(1)); err == nil {
		t.Error("Marshal(+Inf) succeeded, want an error")
	}
}
