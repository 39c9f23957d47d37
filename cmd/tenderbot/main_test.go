package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the bot's goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// feedServer serves testdata/feed.xml; each request waits until gate is
// closed, so a test can hold the first poll back.
func feedServer(t *testing.T, gate <-chan struct{}) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile("testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// session runs the bot with input as stdin until the input ends and the bot
// is idle, and returns what it printed.
func session(t *testing.T, stdin io.Reader) string {
	t.Helper()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, nil, stdin, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if ctx.Err() != nil {
		t.Fatalf("the session did not end by itself\nstdout:\n%s", stdout.String())
	}
	return stdout.String()
}

func setEnv(t *testing.T, feeds string) (db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "tenderbot.db")
	t.Setenv("TENDERBOT_DB", db)
	t.Setenv("TENDERBOT_FEEDS", feeds)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1h")
	t.Setenv("TENDERBOT_LOG_LEVEL", "debug")
	t.Setenv("TENDERBOT_HTTP_ADDR", "127.0.0.1:0") // a free port: tests run side by side
	return db
}

func TestScriptedSessionShowsMatchesOnceAndKeepsProfiles(t *testing.T) {
	open := make(chan struct{})
	close(open)
	srv := feedServer(t, open)
	setEnv(t, srv.URL)

	out := session(t, strings.NewReader("subscribe cpv:45 nuts:NL21\n"))

	if !strings.Contains(out, "Saved profile 1") {
		t.Errorf("no confirmation of the profile in:\n%s", out)
	}
	// Whether the first poll finished before or after the subscription,
	// the matching notice is shown exactly once, as preview or alert.
	if n := strings.Count(out, "+ Renovatie sporthal De Sluis"); n != 1 {
		t.Errorf("matching notice shown %d times, want once:\n%s", n, out)
	}
	for _, other := range []string{"Leerlingenvervoer", "Highway maintenance"} {
		if strings.Contains(out, other) {
			t.Errorf("notice %q does not match cpv:45 nuts:NL21 but was shown:\n%s", other, out)
		}
	}
	for _, want := range []string{"Gemeente Almelo", "45212225", "NL213", "EUR 450,000", "15 Jan 2027", "cpv 45212225"} {
		if !strings.Contains(out, want) {
			t.Errorf("the card lacks %q:\n%s", want, out)
		}
	}

	again := session(t, strings.NewReader("profiles\n"))
	if !strings.Contains(again, "1. cpv:45 nuts:NL21") {
		t.Errorf("the second run does not list the saved profile:\n%s", again)
	}
	if strings.Contains(again, "+ Renovatie sporthal") {
		t.Errorf("the second run alerted again for a notice already shown:\n%s", again)
	}
}

func TestNoticeArrivingAfterSubscribeAlerts(t *testing.T) {
	full, err := os.ReadFile("testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	// The feed first holds only its first item; later a second appears,
	// dated now (an item dated days before the previous poll is backfill,
	// not news).
	full = bytes.Replace(full, []byte("Sat, 21 Nov 2026 09:00:00 +0100"), []byte(time.Now().Format(time.RFC1123Z)), 1)
	first := regexp.MustCompile(`(?s)\s*<item>.*?</item>`).FindAllIndex(full, -1)[1]
	var mu sync.Mutex
	body := append(append([]byte{}, full[:first[0]]...), full[first[1]:]...)
	subscribed := make(chan struct{}) // the first poll waits for the subscription
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-subscribed:
		case <-r.Context().Done():
			return
		}
		mu.Lock()
		defer mu.Unlock()
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	setEnv(t, srv.URL)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")

	stdin, input := io.Pipe()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, stdin, &stdout, &stderr) }()

	io.WriteString(input, "subscribe sporthal OR leerlingenvervoer\n")
	waitFor(t, &stdout, "Saved profile 1")
	close(subscribed)
	// The first poll is the feed's baseline: what it holds is shown in the
	// preview, not alerted.
	waitFor(t, &stdout, "The feeds have loaded")
	mu.Lock()
	body = full
	mu.Unlock()
	waitFor(t, &stdout, `New tender for your profile "sporthal OR leerlingenvervoer":`)
	input.Close()
	if err := <-done; err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	preview, alerts, _ := strings.Cut(out, "New tender for your profile")
	if !strings.Contains(preview, "+ Renovatie sporthal De Sluis") || strings.Contains(preview, "+ Leerlingenvervoer") {
		t.Errorf("the preview should show the baseline's match only:\n%s", preview)
	}
	if !strings.Contains(alerts, "+ Leerlingenvervoer 2027-2031") || strings.Contains(alerts, "+ Renovatie sporthal") {
		t.Errorf("the alert should be the new item only:\n%s", alerts)
	}
}

func TestBrokenFeedDoesNotStopTheOthers(t *testing.T) {
	open := make(chan struct{})
	close(open)
	good := feedServer(t, open)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body>Maintenance</body></html>"))
	}))
	t.Cleanup(broken.Close)
	setEnv(t, broken.URL+","+good.URL+",http://127.0.0.1:1/unreachable")

	out := session(t, strings.NewReader("search cpv:45\n"))
	if !strings.Contains(out, "Renovatie sporthal De Sluis") && !strings.Contains(out, "None of the") {
		t.Fatalf("search gave no answer:\n%s", out)
	}
	again := session(t, strings.NewReader("search cpv:45\n"))
	if !strings.Contains(again, "2 notice(s) match") {
		t.Errorf("the good feed's notices were not stored:\n%s", again)
	}
}

func TestExampleFeedWhenNoFeedsConfigured(t *testing.T) {
	setEnv(t, "")
	os.Unsetenv("TENDERBOT_FEEDS")
	out := session(t, strings.NewReader("search nuts:NL21\n"))
	if !strings.Contains(out, "example feed built into the binary") {
		t.Errorf("the first lines do not say the example feed is used:\n%s", out)
	}
	again := session(t, strings.NewReader("search nuts:NL21\n"))
	if !strings.Contains(again, "notice(s) match") {
		t.Errorf("the example feed gave no Twente notices:\n%s", again)
	}
}

// TestExampleFeedShowsARealAlert is the README's first command: the built-in
// example feed publishes more a little after its first read, so a newcomer
// sees an alert, not only the preview of what was there already.
func TestExampleFeedShowsARealAlert(t *testing.T) {
	setEnv(t, "")
	os.Unsetenv("TENDERBOT_FEEDS")
	out := session(t, strings.NewReader("subscribe cpv:45 nuts:NL21\n"))
	if !strings.Contains(out, "Saved profile 1") {
		t.Fatalf("no profile saved:\n%s", out)
	}
	if !strings.Contains(out, "New tender for your profile") {
		t.Errorf("the session ended without a real alert:\n%s", out)
	}
	again := session(t, strings.NewReader("profiles\n"))
	if strings.Contains(again, "New tender for your profile") {
		t.Errorf("the second run alerted again for what the first already did:\n%s", again)
	}
}

func TestHelpListsEveryVariable(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := f.Tag.Get("envconfig")
		if name == "" {
			continue
		}
		line := lineWith(out.String(), "TENDERBOT_"+name)
		if line == "" {
			t.Errorf("--help does not list TENDERBOT_%s", name)
			continue
		}
		if def := f.Tag.Get("default"); def != "" && !strings.Contains(line, def) {
			t.Errorf("--help line %q lacks the default %q", line, def)
		}
	}
}

// TestConsoleSpeaksTheTerminalsLanguage: the console follows LANG, and
// TENDERBOT_LANGUAGE, the workspace's language, goes before it.
func TestConsoleSpeaksTheTerminalsLanguage(t *testing.T) {
	const dutch, english = "Ik spreek hier Nederlands", "I speak English here"
	tests := []struct{ lang, language, want, notWant string }{
		{"nl_NL.UTF-8", "", dutch, english},
		{"nl_NL.UTF-8", "en", english, dutch},
		{"C", "nl", dutch, english},
		{"", "", english, dutch},
	}
	for _, tt := range tests {
		t.Run("LANG="+tt.lang+",LANGUAGE="+tt.language, func(t *testing.T) {
			setEnv(t, "")
			t.Setenv("LANG", tt.lang)
			t.Setenv("TENDERBOT_LANGUAGE", tt.language)
			out := session(t, strings.NewReader("language\n"))
			if !strings.Contains(out, tt.want) || strings.Contains(out, tt.notWant) {
				t.Errorf("got %q, want %q", out, tt.want)
			}
		})
	}
}

func TestBadConfigurationIsExplained(t *testing.T) {
	tests := []struct {
		env, value, want string
	}{
		{"TENDERBOT_POLL_INTERVAL", "soon", "TENDERBOT_POLL_INTERVAL"},
		{"TENDERBOT_POLL_INTERVAL", "10ms", "too short"},
		{"TENDERBOT_FEEDS", "ftp://example.org/feed", "scheme \"ftp\""},
		{"TENDERBOT_FEEDS", "https://example.org/feed.xml kind=tenders", `"tenders" is not a kind of notice`},
		{"TENDERBOT_TENDERNED_API_URL", "tenderned.nl/papi", "not an http(s) address"},
		{"TENDERBOT_TIMEZONE", "Mars/Olympus", "Europe/Amsterdam"},
		{"TENDERBOT_LOG_LEVEL", "loud", "debug, info, warn or error"},
		{"TENDERBOT_LANGUAGE", "de", "use nl (Nederlands) or en (English)"},
	}
	for _, tt := range tests {
		t.Run(tt.env+"="+tt.value, func(t *testing.T) {
			setEnv(t, "")
			t.Setenv(tt.env, tt.value)
			err := run(context.Background(), nil, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func waitFor(t *testing.T, out *syncBuffer, fragment string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), fragment) {
		if time.Now().After(deadline) {
			t.Fatalf("output never showed %q:\n%s", fragment, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func lineWith(text, fragment string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, fragment+" ") {
			return line
		}
	}
	return ""
}

// TestCodeListsOutOfTheBox: with no list configured, the built-in CPV and
// NUTS lists check codes and resolve region names; a profile is named as
// typed.
func TestCodeListsOutOfTheBox(t *testing.T) {
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	out := session(t, strings.NewReader("subscribe nuts:NL99\nsubscribe cpv:45 nuts:Overijssel\nprofiles\n"))
	for _, want := range []string{"no NUTS region NL99", "`cpv:45 nuts:NL21 kind:early,tender`", "1. cpv:45 nuts:Overijssel —"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
