package feeds

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// eformsSamples reads the eForms notices of the shared samples folder
// (never copied into the project), skipping the test when it is absent.
func eformsSamples(t *testing.T) map[string][]byte {
	t.Helper()
	samples := map[string][]byte{}
	for _, dir := range []string{"ted-eforms-real", "ted-eforms-sdk-examples"} {
		paths, _ := filepath.Glob(filepath.Join(samplesDir, dir, "*.xml"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			samples[filepath.Base(p)] = data
		}
	}
	if len(samples) == 0 {
		t.Skipf("no eForms samples in %s: the shared samples folder is absent", samplesDir)
	}
	return samples
}

// zipEntry is one entry of a test archive.
type zipEntry struct {
	name   string
	data   []byte
	stored bool // not compressed
}

// writeZIP writes the entries as a ZIP archive to w.
func writeZIP(t *testing.T, w io.Writer, entries []zipEntry) {
	t.Helper()
	zw := zip.NewWriter(w)
	for _, e := range entries {
		method := zip.Deflate
		if e.stored {
			method = zip.Store
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// sampleExport is a day's export built from the samples, with what a real
// export should not hold besides: a ZIP bomb, a file that is no notice,
// and a directory.
func sampleExport(t *testing.T) (archive []byte, samples int) {
	t.Helper()
	var entries []zipEntry
	for name, data := range eformsSamples(t) {
		entries = append(entries, zipEntry{name: "2026-10-09/" + name, data: data})
	}
	samples = len(entries)
	entries = append(entries,
		zipEntry{name: "2026-10-09/"},
		zipEntry{name: "bomb.xml", data: make([]byte, 20<<20)}, // zeros: 20 MiB from some 20 KiB
		zipEntry{name: "LIESMICH.txt", data: []byte("Dies ist keine Bekanntmachung.")},
	)
	var buf bytes.Buffer
	writeZIP(t, &buf, entries)
	return buf.Bytes(), samples
}

func TestParseZIPReadsSamplesAndSkipsWhatIsUnsafe(t *testing.T) {
	archive, samples := sampleExport(t)
	if Detect(archive) != FormatEFormsZIP {
		t.Fatalf("Detect: got %q, want %q", Detect(archive), FormatEFormsZIP)
	}
	notices, problems, err := parseZIPBytes(archive, "de")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != samples {
		t.Errorf("got %d notices, want one per sample (%d)", len(notices), samples)
	}
	for _, n := range notices {
		checkStructured(t, n)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], `"bomb.xml"`) || !strings.Contains(problems[0], "100:1") ||
		!strings.Contains(problems[1], `"LIESMICH.txt"`) {
		t.Errorf("got problems %q, want the bomb (ratio) and the text file, each named", problems)
	}
}

func TestParseZIPLimits(t *testing.T) {
	notice := []byte(minimalEForms)
	tests := []struct {
		name    string
		limits  zipLimits
		entries []zipEntry
		read    int
		problem string
	}{
		{"entry over the size limit", zipLimits{entryBytes: 1 << 10, totalBytes: 1 << 20, ratio: 100, entries: 10},
			[]zipEntry{{name: "big.xml", data: bytes.Repeat([]byte("<!-- padding -->"), 100), stored: true}, {name: "ok.xml", data: notice}}, 1, `"big.xml" skipped: it is 1600 bytes uncompressed`},
		{"archive over the total", zipLimits{entryBytes: 1 << 20, totalBytes: int64(len(notice)) + 10, ratio: 100, entries: 10},
			[]zipEntry{{name: "a.xml", data: notice, stored: true}, {name: "b.xml", data: notice, stored: true}}, 1, `inflates to more than`},
		{"too many entries", zipLimits{entryBytes: 1 << 20, totalBytes: 1 << 20, ratio: 100, entries: 1},
			[]zipEntry{{name: "a.xml", data: notice}, {name: "b.xml", data: notice}}, 1, `more than 1 entries; entry "b.xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			writeZIP(t, &buf, tt.entries)
			notices, problems, err := parseZIP(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "t", tt.limits)
			if err != nil {
				t.Fatal(err)
			}
			if len(notices) != tt.read || len(problems) != 1 || !strings.Contains(problems[0], tt.problem) {
				t.Errorf("got %d notices, problems %q; want %d and one with %q", len(notices), problems, tt.read, tt.problem)
			}
		})
	}
	if _, _, err := parseZIPBytes([]byte("PK\x03\x04 not really"), "t"); err == nil {
		t.Error("a broken archive: got no error")
	}
}

// TestParseZIPNeverHoldsABigEntry reads an export whose one entry is
// larger than an entry may be, stored uncompressed (so no ratio refuses
// it), from a file: the entry is skipped without being read into memory.
func TestParseZIPNeverHoldsABigEntry(t *testing.T) {
	const big = MaxZIPEntryBytes + 10<<20
	path := filepath.Join(t.TempDir(), "export.zip")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(file)
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "huge.xml", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("<!-- 0123456789abcdef -->\n"), 40<<10/26)
	for written := 0; written < big; written += len(chunk) {
		if _, err := fw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	fw, _ = zw.Create("small.xml")
	fw.Write([]byte(minimalEForms))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file.Close()

	f := NewFetcher(FetcherOptions{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := f.Read(context.Background(), Request{Location: path}, FormatAuto, "de", 1)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 1 || len(doc.Problems) != 1 || !strings.Contains(doc.Problems[0], `"huge.xml" skipped`) {
		t.Errorf("got %d notices, problems %q; want the small one read and huge.xml skipped", len(doc.Notices), doc.Problems)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 16<<20 {
		t.Errorf("reading the export allocated %d MiB; the %d MiB entry must never be read into memory", allocated>>20, big>>20)
	}
}

// TestParseZIPStopsAtTheSizeItStates reads an entry whose header says it
// is small while it inflates to far more: reading stops at the size
// stated, and the entry is skipped.
func TestParseZIPStopsAtTheSizeItStates(t *testing.T) {
	plain := bytes.Repeat([]byte("<a>0123456789</a>"), 8<<20/17)
	var packed bytes.Buffer
	fl, _ := flate.NewWriter(&packed, flate.BestSpeed)
	fl.Write(plain)
	fl.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "liar.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(plain),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(packed.Len()),
	})
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(packed.Bytes())
	fw, _ = zw.Create("small.xml")
	fw.Write([]byte(minimalEForms))
	zw.Close()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	notices, problems, err := parseZIPBytes(buf.Bytes(), "t")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || len(problems) != 1 || !strings.Contains(problems[0], `"liar.xml" skipped`) {
		t.Errorf("got %d notices, problems %q; want liar.xml skipped", len(notices), problems)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > uint64(len(plain))/4 {
		t.Errorf("allocated %d KiB, more than a quarter of the %d KiB the entry inflates to (it states %d KiB)", allocated>>10, len(plain)>>10, packed.Len()>>10)
	}
}

// exportServer is a local notice export service: one eForms ZIP a day.
type exportServer struct {
	*httptest.Server
	mu      sync.Mutex
	exports map[string][]byte // by pubDay; a missing day answers 404
	hits    map[string]int
}

func newExportServer(t *testing.T) *exportServer {
	s := &exportServer{exports: map[string][]byte{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		day := r.URL.Query().Get("pubDay")
		if r.URL.Path != "/api/notice-exports" || r.URL.Query().Get("format") != "eforms.zip" {
			http.Error(w, "unknown", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.hits[day]++
		data, ok := s.exports[day]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestExportsSourceReadsEachDay(t *testing.T) {
	archive, samples := sampleExport(t)
	s := newExportServer(t)
	s.exports["2026-10-09"] = archive
	s.exports["2026-10-10"] = archive
	now := time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC)
	f := NewFetcher(FetcherOptions{Client: s.Client(), HostGap: -1, ExportsURL: s.URL + "/api/notice-exports", Now: func() time.Time { return now }})
	ctx := context.Background()
	read := func(etag string) Document {
		t.Helper()
		doc, err := f.Read(ctx, Request{Location: ExportsLocation, ETag: etag}, FormatAuto, "Bekanntmachungsservice", 10)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}

	// A first poll reads yesterday's export, complete, and today's.
	doc := read("")
	if len(doc.Notices) != samples || s.hits["2026-10-09"] != 1 || s.hits["2026-10-10"] != 1 {
		t.Errorf("first poll: got %d notices (want %d, each once), hits %v", len(doc.Notices), samples, s.hits)
	}
	if h := doc.Source; h.LastCompleteDay != "2026-10-09" || h.ReadToday != samples {
		t.Errorf("first poll: got health %+v", h)
	}
	if len(doc.Problems) != 4 {
		t.Errorf("got problems %q, want the bomb and the text file of each export", doc.Problems)
	}

	// Within three hours nothing is read again; after, today's export is.
	now = now.Add(time.Hour)
	if doc = read(doc.ETag); len(doc.Notices) != 0 || s.hits["2026-10-10"] != 1 {
		t.Errorf("an hour later: got %d notices, hits %v; want nothing read", len(doc.Notices), s.hits)
	}
	now = now.Add(3 * time.Hour)
	if doc = read(doc.ETag); len(doc.Notices) != samples || s.hits["2026-10-10"] != 2 {
		t.Errorf("four hours later: got %d notices, hits %v; want today's read again", len(doc.Notices), s.hits)
	}

	// The next day: the 10th is over and read once more, complete; the
	// 11th has no export yet.
	now = time.Date(2026, 10, 11, 6, 0, 0, 0, time.UTC)
	doc = read(doc.ETag)
	if s.hits["2026-10-10"] != 3 || s.hits["2026-10-11"] != 1 || doc.Source.LastCompleteDay != "2026-10-10" {
		t.Errorf("next day: hits %v, health %+v", s.hits, doc.Source)
	}
	if s.hits["2026-10-09"] != 1 {
		t.Errorf("a complete day was read again: %v", s.hits)
	}
}

func TestReadZIPFromURLAndFile(t *testing.T) {
	archive, samples := sampleExport(t)
	s := newExportServer(t)
	s.exports["2026-10-09"] = archive
	f := NewFetcher(FetcherOptions{Client: s.Client(), HostGap: -1})
	ctx := context.Background()
	doc, err := f.Read(ctx, Request{Location: s.URL + "/api/notice-exports?pubDay=2026-10-09&format=eforms.zip"}, FormatAuto, "de", 1)
	if err != nil || len(doc.Notices) != samples {
		t.Errorf("URL: got %d notices, err %v; want %d", len(doc.Notices), err, samples)
	}
	path := filepath.Join(t.TempDir(), "2026-10-09.zip")
	if err := os.WriteFile(path, archive, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err = f.Read(ctx, Request{Location: path}, FormatAuto, "de", 1)
	if err != nil || len(doc.Notices) != samples {
		t.Errorf("file: got %d notices, err %v; want %d", len(doc.Notices), err, samples)
	}
	_, err = f.Read(ctx, Request{Location: s.URL + "/api/notice-exports?pubDay=2026-01-01&format=eforms.zip"}, FormatAuto, "de", 1)
	var status *StatusError
	if !errors.As(err, &status) || status.Status != http.StatusNotFound {
		t.Errorf("a missing export: got %v, want a 404 StatusError", err)
	}
}
