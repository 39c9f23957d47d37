package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TestEventPageInBrowser loads an event page in headless Chromium: what a
// supplier sees is what the browser makes of the markup, not the markup.
func TestEventPageInBrowser(t *testing.T) {
	browser := findBrowser(t)
	page := supplierDay()
	untitled := supplierDay()
	untitled.Event.ID, untitled.Event.Title = 70, ""
	srv := httptest.NewServer(eventServer(fixedEvents{pages: []bot.EventPage{page, untitled}}, "", nil))
	defer srv.Close()

	// Four runs of the browser, at once: a cold start costs seconds.
	dir := t.TempDir()
	var (
		wg            sync.WaitGroup
		dom, dutch    []byte
		titled, blank image.Image
		errs          [4]error
	)
	wg.Go(func() { dom, errs[0] = runBrowser(t, browser, "--dump-dom", srv.URL+"/events/7") })
	wg.Go(func() { titled, errs[1] = screenshot(t, browser, srv.URL+"/events/7", filepath.Join(dir, "event.png")) })
	wg.Go(func() {
		blank, errs[2] = screenshot(t, browser, srv.URL+"/events/70", filepath.Join(dir, "untitled.png"))
	})
	wg.Go(func() { dutch, errs[3] = runBrowser(t, browser, "--dump-dom", srv.URL+"/events/7?lang=nl") })
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}

	for _, want := range []string{
		"<h1>Supplier day: solar roofs</h1>",
		"Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)",
		"Stadhuis, Haven Noordzijde 1, Almelo",
		">Q1</a>",
		"Yes: the survey of all 40 roofs is lot 1.",
		"How to register",
		"<code>event rsvp 7 going</code>",
		"<code>event ask 7 &lt;question&gt;</code>",
	} {
		if !bytes.Contains(dom, []byte(want)) {
			t.Errorf("the DOM as the browser built it lacks %q", want)
		}
	}

	// The language switch's link, as a browser follows it, and the
	// Dutch page's feed in Dutch.
	for _, want := range []string{`<html lang="nl">`, "Zo meld je je aan", "woensdag 10 februari 2027", `href="/events/7?lang=en"`, `hreflang="nl" href="/events.atom?lang=nl"`} {
		if !bytes.Contains(dutch, []byte(want)) {
			t.Errorf("the Dutch page as the browser built it lacks %q", want)
		}
	}

	if w := titled.Bounds().Dx(); w != 1024 {
		t.Errorf("screenshot width: got %d px, want 1024", w)
	}
	if oneColour(titled) {
		t.Fatal("the screenshot is one colour: the page painted nothing")
	}
	// The first row where the two pages differ is where the title is
	// painted; there the titled page must have dark text.
	row := firstDifferentRow(titled, blank)
	if row < 0 {
		t.Fatal("the page with a title looks the same as the page without")
	}
	if n := darkPixels(titled, row, row+40); n < 200 {
		t.Errorf("got %d dark pixels in rows %d to %d, where the title is painted; want at least 200", n, row, row+40)
	}
}

// findBrowser returns the path of a Chromium. Without one the test is
// skipped, except in CI, where .ci/run installs it and a skip would hide
// that the browser test never ran.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not installed: .ci/run installs it")
	}
	t.Skip("no chromium, chromium-browser or google-chrome on PATH; install chromium to run the browser test")
	return ""
}

// runBrowser runs headless Chromium once with args after the common flags,
// with a fresh profile, and returns what it wrote to stdout. It may be
// called from any goroutine.
func runBrowser(t *testing.T, browser string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	flags := []string{
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--window-size=1024,1400",
		"--force-device-scale-factor=1", "--hide-scrollbars", "--no-first-run",
		// Nothing but the page: no updates, sync or crash reports.
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-breakpad",
	}
	cmd := exec.CommandContext(ctx, browser, append(flags, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A helper process that outlives the browser must not keep the test
	// waiting on its pipes.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s", browser, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// screenshot has the browser paint url into a PNG at path and decodes it.
func screenshot(t *testing.T, browser, url, path string) (image.Image, error) {
	if _, err := runBrowser(t, browser, "--screenshot="+path, url); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("no screenshot of %s: %w", url, err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("the screenshot of %s is not a PNG: %w", url, err)
	}
	return img, nil
}

// oneColour reports whether every pixel of img has the same colour.
func oneColour(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}

// firstDifferentRow is the first row in which a and b differ, or -1.
func firstDifferentRow(a, b image.Image) int {
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return y
			}
		}
	}
	return -1
}

// darkPixels counts the pixels in rows [y0, y1) of img dark enough to be
// text.
func darkPixels(img image.Image, y0, y1 int) int {
	b := img.Bounds()
	n := 0
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (299*r+587*g+114*bl)/1000 < 0x4000 { // luminance under a quarter
				n++
			}
		}
	}
	return n
}
