package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2027, 2, 10, 13, 0, 0, 0, time.UTC)

// testChain builds n entries of one event, with data that exercises the
// canonical form: non-ASCII text, escapes, nested objects.
func testChain(t testing.TB, n int) []Entry {
	t.Helper()
	actions := []string{"publish", "invite", "rsvp", "question", "cancel"}
	var chain []Entry
	prev := Entry{}
	for i := range n {
		data := map[string]any{
			"title":  "Marché public – «Straßenbau» 😀",
			"note":   "line one\nline two\t\"quoted\" <b>&</b>\u2028",
			"places": 40 + i,
			"by":     map[string]any{"z": 1, "a": []any{true, nil, "x"}},
		}
		e, err := Next(prev, t0.Add(time.Duration(i)*time.Minute+1234567*time.Microsecond), 42,
			actions[i%len(actions)], "pseudonym-7", data)
		if err != nil {
			t.Fatalf("Next %d: %v", i+1, err)
		}
		chain = append(chain, e)
		prev = e
	}
	return chain
}

func TestNextStartsAndLinksAChain(t *testing.T) {
	chain := testChain(t, 3)
	for i, e := range chain {
		if e.Seq != int64(i+1) {
			t.Errorf("entry %d: Seq = %d", i+1, e.Seq)
		}
		want := Genesis
		if i > 0 {
			want = chain[i-1].Hash
		}
		if e.PrevHash != want {
			t.Errorf("entry %d: PrevHash = %s, want %s", i+1, e.PrevHash, want)
		}
		if h, err := e.ComputeHash(); err != nil || h != e.Hash {
			t.Errorf("entry %d: ComputeHash = %s, %v; Hash is %s", i+1, h, err, e.Hash)
		}
		if len(e.Hash) != 64 || strings.ToLower(e.Hash) != e.Hash {
			t.Errorf("entry %d: Hash %q is not lowercase hex SHA-256", i+1, e.Hash)
		}
	}
	if chain[1].Time != "2027-02-10T13:01:01.234Z" {
		t.Errorf("Time = %q, want 2027-02-10T13:01:01.234Z", chain[1].Time)
	}
	if err := VerifyEntries(chain); err != nil {
		t.Errorf("VerifyEntries: %v", err)
	}
}

func TestNextTimeIsUTCToTheMillisecond(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		at   time.Time
		want string
	}{
		{t0, "2027-02-10T13:00:00.000Z"},
		{time.Date(2027, 2, 10, 14, 0, 0, 999999999, paris), "2027-02-10T13:00:00.999Z"},
		{time.Date(2027, 12, 31, 23, 59, 59, 1000000, time.UTC), "2027-12-31T23:59:59.001Z"},
	}
	for _, tt := range tests {
		e, err := Next(Entry{}, tt.at, 1, "publish", "tenderbot", nil)
		if err != nil {
			t.Fatal(err)
		}
		if e.Time != tt.want {
			t.Errorf("Next at %v: Time = %q, want %q", tt.at, e.Time, tt.want)
		}
	}
}

// TestEntryKnownAnswer pins the bytes that are hashed: the canonical object
// written out by hand, then SHA-256.
func TestEntryKnownAnswer(t *testing.T) {
	e, err := Next(Entry{}, t0, 7, "publish", "Zoë", map[string]any{"title": "Brücke", "n": 1.50})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"action":"publish","actor":"Zoë","data":{"n":1.5,"title":"Brücke"},"event":7,` +
		`"prev_hash":"` + Genesis + `","seq":1,"time":"2027-02-10T13:00:00.000Z"}`
	sum := sha256.Sum256([]byte(body))
	want := hex.EncodeToString(sum[:])
	if e.Hash != want {
		t.Errorf("Hash = %s, want %s (SHA-256 of %s)", e.Hash, want, body)
	}
	line, err := e.Line()
	if err != nil {
		t.Fatal(err)
	}
	wantLine := `{"action":"publish","actor":"Zoë","data":{"n":1.5,"title":"Brücke"},"event":7,"hash":"` + want +
		`","prev_hash":"` + Genesis + `","seq":1,"time":"2027-02-10T13:00:00.000Z"}`
	if string(line) != wantLine {
		t.Errorf("Line =\n%s\nwant\n%s", line, wantLine)
	}
}

func TestNextData(t *testing.T) {
	var nilMap map[string]int
	tests := []struct {
		name string
		data any
		want string
	}{
		{"nil", nil, `{}`},
		{"nil map", nilMap, `{}`},
		{"empty map", map[string]int{}, `{}`},
		{"struct", struct {
			B int    `json:"b"`
			A string `json:"a"`
		}{2, "x"}, `{"a":"x","b":2}`},
		{"raw JSON", json.RawMessage(` { "y" : 1e2, "x" : [ ] } `), `{"x":[],"y":100}`},
	}
	for _, tt := range tests {
		e, err := Next(Entry{}, t0, 1, "publish", "tenderbot", tt.data)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(e.Data) != tt.want {
			t.Errorf("%s: Data = %s, want %s", tt.name, e.Data, tt.want)
		}
	}
}

func TestNextRejects(t *testing.T) {
	first := testChain(t, 1)[0]
	unsealed := first
	unsealed.Hash = ""
	tests := []struct {
		name   string
		prev   Entry
		at     time.Time
		event  int64
		action string
		data   any
		want   string
	}{
		{"array data", Entry{}, t0, 1, "publish", []int{1}, "must be a JSON object"},
		{"string data", Entry{}, t0, 1, "publish", "x", "must be a JSON object"},
		{"number data", Entry{}, t0, 1, "publish", 3, "must be a JSON object"},
		{"unencodable data", Entry{}, t0, 1, "publish", map[string]any{"f": func() {}}, "data"},
		{"duplicate names in raw data", Entry{}, t0, 1, "publish", json.RawMessage(`{"a":1,"a":2}`), "duplicate"},
		{"unsealed prev", unsealed, t0, 1, "invite", nil, "not sealed"},
		{"negative prev seq", Entry{Seq: -1, Hash: "x"}, t0, 1, "invite", nil, "seq -1"},
		{"event beyond 2^53", Entry{}, t0, 1<<53 + 1, "publish", nil, "event"},
		{"year beyond 9999", Entry{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 1, "publish", nil, "year"},
		{"invalid UTF-8 action", Entry{}, t0, 1, "pub\xfflish", nil, "UTF-8"},
	}
	for _, tt := range tests {
		_, err := Next(tt.prev, tt.at, tt.event, tt.action, "tenderbot", tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Next error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestComputeHashCoversEveryField(t *testing.T) {
	e := testChain(t, 2)[1]
	edits := map[string]func(*Entry){
		"seq":       func(e *Entry) { e.Seq++ },
		"time":      func(e *Entry) { e.Time = "2027-02-10T13:00:00.001Z" },
		"event":     func(e *Entry) { e.Event++ },
		"action":    func(e *Entry) { e.Action = "cancel" },
		"actor":     func(e *Entry) { e.Actor = "someone-else" },
		"data":      func(e *Entry) { e.Data = json.RawMessage(`{"places":41}`) },
		"prev_hash": func(e *Entry) { e.PrevHash = Genesis },
	}
	for field, edit := range edits {
		changed := e
		edit(&changed)
		if h, err := changed.ComputeHash(); err != nil || h == e.Hash {
			t.Errorf("changing %s: ComputeHash = %s, %v; want a new hash", field, h, err)
		}
	}
	// The hash member itself is not hashed.
	resealed := e
	resealed.Hash = "whatever"
	if h, _ := resealed.ComputeHash(); h != e.Hash {
		t.Errorf("ComputeHash depends on the hash member")
	}
	// Data is hashed in canonical form, however it is spelled.
	e.Data = json.RawMessage(`{"a":2,"b":1}`)
	h1, err1 := e.ComputeHash()
	e.Data = json.RawMessage(` { "b" : 1, "a" : 2.0 } `)
	h2, err2 := e.ComputeHash()
	if err1 != nil || err2 != nil || h1 != h2 {
		t.Errorf("ComputeHash of respelled data: %s, %v; want %s, %v", h2, err2, h1, err1)
	}
}

func TestLineRejectsInvalidData(t *testing.T) {
	e := testChain(t, 1)[0]
	e.Data = json.RawMessage(`{"a":`)
	if _, err := e.Line(); err == nil {
		t.Error("Line with broken data succeeded")
	}
	if _, err := e.ComputeHash(); err == nil {
		t.Error("ComputeHash with broken data succeeded")
	}
}
