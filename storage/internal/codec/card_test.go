package codec

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// A recipient's part comes back as it was, in its short form or as the
// object, and the rows written before the short form still read.
func TestRecipientPartRoundTrips(t *testing.T) {
	text := "Neu:"
	tests := []struct {
		name  string
		part  RecipientPart
		wrote string
	}{
		{"profile", RecipientPart{Profile: "bouw"}, `["bouw"]`},
		{"profile and reasons", RecipientPart{Profile: "bouw", Reasons: []string{"cpv 45", `"dak" in title`}}, `["bouw",["cpv 45","\"dak\" in title"]]`},
		{"no profile", RecipientPart{}, `[""]`},
		{"names", RecipientPart{Profile: "a", Names: []string{"a", "b"}}, `{"p":"a","n":["a","b"]}`},
		{"text", RecipientPart{Profile: "a", Text: &text}, `{"t":"Neu:","p":"a"}`},
		{"mentions", RecipientPart{Profile: "a", Mentions: []bot.Mention{{ID: "U1"}}}, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.part)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wrote != "" && string(b) != tt.wrote {
				t.Errorf("wrote %s, want %s", b, tt.wrote)
			}
			var got RecipientPart
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.part) {
				t.Errorf("read back %+v, want %+v", got, tt.part)
			}
		})
	}
	var old RecipientPart
	if err := json.Unmarshal([]byte(`{"p":"bouw","r":["cpv 45"]}`), &old); err != nil || old.Profile != "bouw" || len(old.Reasons) != 1 {
		t.Errorf("an object written before: %+v, %v", old, err)
	}
}

// FuzzRecipientPart reads any text as a part without panicking, and what
// it reads writes and reads back the same.
func FuzzRecipientPart(f *testing.F) {
	for _, seed := range []string{`["bouw"]`, `["bouw",["cpv 45"]]`, `{"p":"a","n":["a","b"]}`, `[]`, `[1,2,3]`, `["a",null]`, `{}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var p RecipientPart
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%q read as %+v, which does not write: %v", raw, p, err)
		}
		var again RecipientPart
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("%q read as %+v, written %s, which does not read: %v", raw, p, b, err)
		}
		if !reflect.DeepEqual(normal(again), normal(p)) {
			t.Fatalf("%q: read %+v, written %s, read back %+v", raw, p, b, again)
		}
	})
}

// normal treats an empty list as none, as the JSON forms do.
func normal(p RecipientPart) RecipientPart {
	if len(p.Reasons) == 0 {
		p.Reasons = nil
	}
	if len(p.Names) == 0 {
		p.Names = nil
	}
	if len(p.Mentions) == 0 {
		p.Mentions = nil
	}
	return p
}

// FuzzDigestMessage reads any message column and card bodies as a
// digest's without panicking; what it reads is a digest with cards.
func FuzzDigestMessage(f *testing.F) {
	body := `[[1,{"notice":{"ID":"n-1","Title":"Sporthal"},"ref":"n1"}]]`
	for _, seed := range [][2]string{
		{`{"d":[{"c":1,"i":7,"p":"bouw","r":["cpv 45"]}],"t":"Your digest"}`, body},
		{`{"d":[{"c":2}]}`, body},
		{`{"d":[]}`, `[]`},
		{`{"d":null}`, `[[1,null]]`},
		{`{"d":[{"c":1}],"t":5}`, `[[1]]`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, raw, bodies string) {
		cc := Cards{}
		if err := cc.AddBodies(bodies); err != nil {
			return
		}
		m, err := cc.DigestMessage(raw)
		if err != nil {
			return
		}
		if len(m.Cards) == 0 {
			t.Fatalf("%q read as a digest without cards", raw)
		}
	})
}

// FuzzShortPart writes any profile name and reasons in the short form as
// encoding/json reads them back: the same strings, U+FFFD for bytes that
// are not UTF-8.
func FuzzShortPart(f *testing.F) {
	for _, seed := range [][2]string{{"bouw", "cpv 45"}, {`"quoted" \ back`, "line\nbreak\ttab"}, {"\x00\x1f\x7f", "\u2028\u2029"}, {"\xff\xfe", "café <b>&"}, {"", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, profile, reason string) {
		for _, p := range []RecipientPart{{Profile: profile}, {Profile: profile, Reasons: []string{reason, profile}}} {
			b, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Fatalf("%+v wrote %q, which is not JSON", p, b)
			}
			var got, want RecipientPart
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("%+v wrote %q: %v", p, b, err)
			}
			viaJSON, _ := json.Marshal([]any{p.Profile, p.Reasons})
			if p.Reasons == nil {
				viaJSON, _ = json.Marshal([]any{p.Profile})
			}
			if err := json.Unmarshal(viaJSON, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v: wrote %q, read %+v; encoding/json's %q reads %+v", p, b, got, viaJSON, want)
			}
		}
	})
}
