package feeds

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/ from what the parsers read now")

// samplesDir holds real published notices, shared by the project and not
// copied into it (see ../shared/samples/SOURCES.md).
const samplesDir = "../../../shared/samples"

// goldenNotice is a notice as the golden files hold it: the normalised
// notice with times that are not stated as null and lists that are empty
// as [], the way `tenderbot ingest` prints it.
type goldenNotice struct {
	bot.Notice
	Deadline  *time.Time `json:"deadline"`
	Published *time.Time `json:"published"`
}

func golden(n bot.Notice) goldenNotice {
	g := goldenNotice{Notice: n}
	if !n.Deadline.IsZero() {
		g.Deadline = &n.Deadline
	}
	if !n.Published.IsZero() {
		g.Published = &n.Published
	}
	if g.CPV == nil {
		g.CPV = []string{}
	}
	if g.NUTS == nil {
		g.NUTS = []string{}
	}
	if g.Lots == nil {
		g.Lots = []bot.Lot{}
	}
	return g
}

// TestGoldenSamples parses every real sample with format detection and
// compares the notices with testdata/golden/<folder>/<file>.json, which were
// checked by hand against the documents.
func TestGoldenSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*", "*"))
	var samples []string
	for _, f := range files {
		if ext := filepath.Ext(f); ext == ".xml" || ext == ".json" {
			samples = append(samples, f)
		}
	}
	if len(samples) == 0 {
		t.Skipf("no samples in %s: the shared samples folder is absent", samplesDir)
	}
	for _, path := range samples {
		rel, _ := filepath.Rel(samplesDir, path)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			checkGolden(t, path, filepath.ToSlash(rel), goldenFile(rel))
		})
	}
}

// goldenFixtureRejects are the fixtures that are no feed, tested in
// TestParseRejects.
var goldenFixtureRejects = map[string]bool{"malformed.xml": true, "page.html": true}

// TestGoldenFixtures does the same for the fixtures in testdata/.
func TestGoldenFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/ (%v)", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		if goldenFixtureRejects[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			checkGolden(t, path, name, goldenFile(filepath.Join("fixtures", name)))
		})
	}
}

// goldenFile is the golden file of the input at rel: its extension becomes
// .json.
func goldenFile(rel string) string {
	return filepath.Join("testdata", "golden", strings.TrimSuffix(rel, filepath.Ext(rel))+".json")
}

func checkGolden(t *testing.T, path, source, goldenPath string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	notices, err := Parse(data, source)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got := make([]goldenNotice, len(notices))
	for i, n := range notices {
		checkStructured(t, n)
		got[i] = golden(n)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to write it, then check it by hand)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("notices read from %s differ from %s:\n%s", path, goldenPath, lineDiff(string(want), buf.String()))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			out = append(out, fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, wl, gl))
		}
	}
	return strings.Join(out, "\n")
}
