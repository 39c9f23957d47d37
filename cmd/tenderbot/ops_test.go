package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/tenderbot/tenderbot/bot"
)

// httpBase finds the listener's address in the bot's first lines.
func httpBase(t *testing.T, out *syncBuffer) string {
	t.Helper()
	waitFor(t, out, "tenderbot: HTTP on ")
	m := regexp.MustCompile(`HTTP on (http://[0-9.:]+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no HTTP address in:\n%s", out.String())
	}
	return m[1]
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestReadyOnlyAfterFirstPollAndMetricsAfterARun(t *testing.T) {
	gate := make(chan struct{})
	srv := feedServer(t, gate)
	setEnv(t, srv.URL)

	stdin, input := io.Pipe()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, stdin, &stdout, &stderr) }()
	base := httpBase(t, &stdout)

	if code, body := httpGet(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while loading: %d %s", code, body)
	}
	code, body := httpGet(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "first poll has not finished") {
		t.Errorf("/readyz before the first poll: got %d %s, want 503 naming the first poll", code, body)
	}
	io.WriteString(input, "subscribe cpv:45\n")
	// The feeds answer once the profile is saved, so that its preview
	// waits for them rather than racing their first poll.
	waitFor(t, &stdout, "The feeds are still loading")
	close(gate)
	waitFor(t, &stdout, "The feeds have loaded")
	if code, body := httpGet(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"ready":true`) {
		t.Errorf("/readyz after the first poll: got %d %s, want 200 ready", code, body)
	}
	wants := []string{
		`tenderbot_feed_polls_total{outcome="ok"} 1`,
		`tenderbot_notices_ingested_total{kind="tender",outcome="quiet",source="` + srv.URL + `"} 3`,
		`tenderbot_profiles 1`,
		`tenderbot_notices 3`,
		`tenderbot_outbox_depth`,
		`tenderbot_deliveries_total{outcome="sent",platform="console"} 1`,
	}
	// The delivery is counted just after it is printed: poll briefly.
	var metrics string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, metrics = httpGet(t, base+"/metrics"); strings.Contains(metrics, wants[len(wants)-1]) {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	input.Close()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestCancelledRunExitsCleanly(t *testing.T) {
	open := make(chan struct{})
	close(open)
	db := setEnv(t, feedServer(t, open).URL)
	stdin, input := io.Pipe()
	defer input.Close()
	var stdout syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, stdin, &stdout, io.Discard) }()
	io.WriteString(input, "subscribe cpv:45\n")
	waitFor(t, &stdout, "Saved profile")
	cancel() // what SIGTERM does through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	// The database was closed cleanly: it opens and holds the profile.
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var check string
	var profiles int
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	if err := conn.QueryRow(`SELECT COUNT(*) FROM profiles`).Scan(&profiles); err != nil || profiles != 1 {
		t.Errorf("profiles after shutdown: %d %v, want 1", profiles, err)
	}
}

func TestBackupCommand(t *testing.T) {
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	session(t, strings.NewReader("subscribe cpv:45\n"))

	path := filepath.Join(t.TempDir(), "copy.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"backup", path}, nil, &out, io.Discard); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), "backed up") {
		t.Errorf("backup output: %q", out.String())
	}
	t.Setenv("TENDERBOT_DB", path)
	if again := session(t, strings.NewReader("profiles\n")); !strings.Contains(again, "1. cpv:45") {
		t.Errorf("the copy does not hold the profile:\n%s", again)
	}
	if err := run(context.Background(), []string{"backup", path}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: got %v, want a refusal", err)
	}
	if err := run(context.Background(), []string{"backup"}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "give the path") {
		t.Errorf("backup without a path: got %v, want it to ask for one", err)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tenderbot ", "module    github.com/tenderbot/tenderbot", "go        go1."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("version output %q lacks %q", out.String(), want)
		}
	}
}

// TestREADMEConfigurationTable keeps the README's table of variables equal
// to the Config struct: every variable, with its default.
func TestREADMEConfigurationTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "<!-- config table: generated from Config; TestREADMEConfigurationTable checks it -->")
	if !ok {
		t.Fatal("README.md has no configuration table marker")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	rows := map[string]string{} // variable → default cell
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`TENDERBOT_") {
			continue
		}
		rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[2]), "`")
	}
	typ := reflect.TypeOf(Config{})
	want := 0
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := f.Tag.Get("envconfig")
		if name == "" {
			continue
		}
		want++
		def, listed := rows["TENDERBOT_"+name]
		if !listed {
			t.Errorf("README's table lacks TENDERBOT_%s", name)
			continue
		}
		if def != f.Tag.Get("default") {
			t.Errorf("README gives TENDERBOT_%s the default %q; Config says %q", name, def, f.Tag.Get("default"))
		}
	}
	if len(rows) != want {
		t.Errorf("README's table has %d variables, Config %d", len(rows), want)
	}
}

func TestHeadlessRunsUntilStopped(t *testing.T) {
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	t.Setenv("TENDERBOT_CONSOLE", "off")
	var stdout syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, strings.NewReader(""), &stdout, io.Discard) }()
	base := httpBase(t, &stdout)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if code, _ := httpGet(t, base+"/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the headless bot never became ready")
		}
	}
	select {
	case err := <-done:
		t.Fatalf("the headless bot stopped by itself (%v); it must run until stopped", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
	if !strings.Contains(stdout.String(), "no chat (TENDERBOT_CONSOLE=off)") {
		t.Errorf("the first lines do not say the bot runs headless:\n%s", stdout.String())
	}
}

// TestEnvExampleListsEveryVariable keeps deploy/.env.example complete: each
// variable is set, or shown commented out where the image or the unit sets
// it (TestEnvExampleAgreesWithImage).
func TestEnvExampleListsEveryVariable(t *testing.T) {
	example, err := os.ReadFile("../../deploy/.env.example")
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		if name := typ.Field(i).Tag.Get("envconfig"); name != "" {
			if !regexp.MustCompile(`(?m)^(# )?TENDERBOT_` + name + `=`).Match(example) {
				t.Errorf("deploy/.env.example does not set TENDERBOT_%s", name)
			}
		}
	}
}

// TestNoAdminWarning: on Slack or Discord with no TENDERBOT_ADMINS nobody
// can grant roles, and the operator is told so.
func TestNoAdminWarning(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // empty: no warning
	}{
		{"console only", Config{}, ""},
		{"slack without admins", Config{SlackBotToken: "xoxb-1"}, "nobody on Slack can grant roles until TENDERBOT_ADMINS is set"},
		{"discord without admins", Config{DiscordToken: "d"}, "nobody on Discord can grant roles until TENDERBOT_ADMINS is set"},
		{"both without admins", Config{SlackBotToken: "xoxb-1", DiscordToken: "d"}, "nobody on Slack or Discord can grant roles"},
		{"slack with an admin", Config{SlackBotToken: "xoxb-1", admins: []bot.Subscriber{{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}}}, ""},
		{"distributed without an https address", Config{SlackClientID: "1.2", SlackClientSecret: "s", PublicURL: "http://tenderbot.example.org", admins: []bot.Subscriber{{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}}}, "Slack sends installs back only to an https redirect URL"},
		{"distributed behind https", Config{SlackClientID: "1.2", SlackClientSecret: "s", PublicURL: "https://tenderbot.example.org", admins: []bot.Subscriber{{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(tt.cfg.warnings(), "; ")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
