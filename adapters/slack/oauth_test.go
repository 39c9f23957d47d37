package slack

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
)

// memInstallStore keeps installation records in a map, and the reasons
// workspaces were removed with: the adapter's side of it. The stores'
// behaviour is bot/storetest's.
type memInstallStore struct {
	mu      sync.Mutex
	records map[string]install.Record
	removed map[string]string // team → reason
}

func (m *memInstallStore) SaveInstallation(_ context.Context, r install.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[r.Team] = r
	return nil
}

func (m *memInstallStore) Installation(_ context.Context, _ bot.Platform, team string) (install.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[team]
	if !ok {
		return install.Record{}, bot.Errorf(bot.ENOTFOUND, "not installed in %s", team)
	}
	return r, nil
}

func (m *memInstallStore) Installations(context.Context, bot.Platform) ([]install.Record, error) {
	return nil, nil
}

func (m *memInstallStore) RemoveInstallation(_ context.Context, _ bot.Platform, team, reason string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, team)
	m.removed[team] = reason
	return 0, nil
}

func (m *memInstallStore) removedWith(team string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.removed[team]
}

var testStateKey = bytes.Repeat([]byte("k"), 32)

// distributed is an app distributed to many workspaces, in HTTP mode behind
// a test server, against a fake Slack.
type distributed struct {
	fake   *fakeslack.Server
	app    *Slack
	srv    *httptest.Server
	store  *memInstallStore
	core   *stubCore
	signed time.Time
}

func startDistributedApp(t *testing.T) *distributed {
	t.Helper()
	d := &distributed{fake: fakeslack.New(fakeslack.Options{}), store: &memInstallStore{records: map[string]install.Record{}, removed: map[string]string{}}, core: &stubCore{}}
	t.Cleanup(d.fake.Close)
	var handler http.Handler
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(d.srv.Close)
	installs, err := install.New(install.Options{Store: d.store, Key: bytes.Repeat([]byte("s"), 32)})
	if err != nil {
		t.Fatal(err)
	}
	d.app = New(Options{
		SigningSecret: testSecret, APIURL: d.fake.APIURL(), Logger: testLogger(t),
		ClientID: d.fake.Options().ClientID, ClientSecret: d.fake.Options().ClientSecret,
		OAuthURL: d.fake.AuthorizeURL(), RedirectURL: d.srv.URL + OAuthCallbackPath,
		Installations: installs, StateKey: testStateKey,
	})
	handler = d.app.HTTPHandler()
	runApp(t, d.app, d.core)
	waitUntil(t, "the distributed app is ready", d.app.Connected)
	return d
}

// browser is a person's browser: it keeps cookies and follows redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var addLinkRe = regexp.MustCompile(`<a class="add" href="([^"]+)"`)

// beginInstall opens the Add to Slack page in the browser and returns its
// link to Slack's authorize page, for team.
func (d *distributed) beginInstall(t *testing.T, b *http.Client, team string) string {
	t.Helper()
	status, page := get(t, b, d.srv.URL+InstallPath)
	m := addLinkRe.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("the install page: %d\n%s", status, page)
	}
	link, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	q := link.Query()
	for name, want := range map[string]string{"client_id": "fake-client-id", "redirect_uri": d.srv.URL + OAuthCallbackPath} {
		if q.Get(name) != want {
			t.Errorf("the link's %s: %q, want %q", name, q.Get(name), want)
		}
	}
	if !strings.Contains(q.Get("scope"), "chat:write") || q.Get("state") == "" {
		t.Errorf("the link asks for scope %q with state %q", q.Get("scope"), q.Get("state"))
	}
	q.Set("team", team)
	link.RawQuery = q.Encode()
	return link.String()
}

// install installs the app in team through a browser, as a person would.
func (d *distributed) install(t *testing.T, team string) {
	t.Helper()
	b := browser(t)
	status, page := get(t, b, d.beginInstall(t, b, team))
	if status != http.StatusOK || !strings.Contains(page, "tenderbot is in Workspace "+team) {
		t.Fatalf("installing in %s: %d\n%s", team, status, page)
	}
}

// event posts an Events API request to the app, signed.
func (d *distributed) event(t *testing.T, r *fakeslack.Request) {
	t.Helper()
	if status, body := post(t, d.srv, EventsPath, r, testSecret, time.Now()); status != http.StatusOK {
		t.Fatalf("event: %d %s", status, body)
	}
}

func TestDistributedAppCallsEachWorkspaceWithItsOwnToken(t *testing.T) {
	d := startDistributedApp(t)
	d.install(t, "T1")
	d.install(t, "T2")
	tokens := map[string]string{"T1": d.fake.InstalledToken("T1"), "T2": d.fake.InstalledToken("T2")}
	if tokens["T1"] == "" || tokens["T2"] == "" || tokens["T1"] == tokens["T2"] {
		t.Fatalf("tokens handed out: %v", tokens)
	}
	for team, r := range d.store.records {
		if bytes.Contains(r.SealedToken, []byte(tokens[team])) {
			t.Errorf("%s's token is stored in the clear", team)
		}
	}

	ctx := testContext(t)
	for _, to := range []bot.Subscriber{
		{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"},
		{Platform: bot.PlatformSlack, Workspace: "T2", User: "U2"},
		{Platform: bot.PlatformSlack, Workspace: "T2", Channel: "C2"},
	} {
		if _, err := d.app.Send(ctx, to, bot.Message{Text: "Nieuwe aanbesteding", Key: "alert:" + to.Key()}); err != nil {
			t.Fatalf("send to %s: %v", to.Key(), err)
		}
	}
	// A slash command in T2 names a person: users.info and the answer go
	// with T2's token.
	d.fake.AddUser("U7", "jan")
	d.fake.SetLocale("U2", "nl-NL")
	r := d.fake.SlashCommand(fakeslack.SlashCommand{Team: "T2", User: "U2", Channel: "C2", Text: "role grant <@U7|jan> staff"})
	if status, body := post(t, d.srv, CommandsPath, r, testSecret, time.Now()); status != http.StatusOK {
		t.Fatalf("slash command: %d %s", status, body)
	}
	responseTo(t, d.fake, r.ResponseURL)

	calls := d.fake.Calls("conversations.open", "chat.postMessage", "users.info")
	if len(calls) != 7 {
		t.Errorf("got %d calls, want 7 (2 conversations.open, 3 chat.postMessage, 2 users.info: the mention's and the sender's locale): %+v", len(calls), calls)
	}
	for _, c := range calls {
		if !c.OK() {
			t.Errorf("%s: %s", c.Method, c.Error)
		}
	}
	for _, want := range []struct{ method, param, value, team string }{
		{"conversations.open", "users", "U1", "T1"},
		{"conversations.open", "users", "U2", "T2"},
		{"chat.postMessage", "channel", fakeslack.DMChannel("U1"), "T1"},
		{"chat.postMessage", "channel", fakeslack.DMChannel("U2"), "T2"},
		{"chat.postMessage", "channel", "C2", "T2"},
		{"users.info", "user", "U7", "T2"},
		{"users.info", "user", "U2", "T2"},
	} {
		found := false
		for _, c := range calls {
			found = found || c.Method == want.method && c.Param(want.param) == want.value && c.Token == tokens[want.team]
		}
		if !found {
			t.Errorf("no %s to %s with %s's token", want.method, want.value, want.team)
		}
	}

	// A workspace that never installed the app gets nothing, for good.
	_, err := d.app.Send(ctx, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T9", User: "U9"}, bot.Message{Text: "x"})
	var permanent *bot.PermanentError
	if !errors.As(err, &permanent) {
		t.Errorf("send to a workspace not installed: got %v, want a permanent error", err)
	}
}

func TestInstallCallbackWantsTheStateOfTheBrowserThatBegan(t *testing.T) {
	d := startDistributedApp(t)
	exchanges := func() int { return len(d.fake.Calls("oauth.v2.access")) }

	// A link begun in one browser, finished in another (a forged install
	// link sent to a victim): refused, nothing exchanged.
	link := d.beginInstall(t, browser(t), "T1")
	if status, _ := get(t, browser(t), link); status != http.StatusForbidden {
		t.Errorf("the callback in another browser: status %d, want 403", status)
	}
	// The browser's cookie, but another install's state.
	victim := browser(t)
	d.beginInstall(t, victim, "T1")
	foreign := d.beginInstall(t, browser(t), "T1")
	if status, _ := get(t, victim, foreign); status != http.StatusForbidden {
		t.Errorf("another install's state: status %d, want 403", status)
	}
	// A callback with the cookie's own value as state, but forged: the
	// state must be signed by the bot.
	forger := browser(t)
	u, _ := url.Parse(d.srv.URL)
	forged := "bm9uY2U." + "9999999999" + ".AAAA"
	forger.Jar.SetCookies(u, []*http.Cookie{{Name: stateCookie, Value: forged, Path: OAuthCallbackPath}})
	if status, _ := get(t, forger, d.srv.URL+OAuthCallbackPath+"?code=code-000001&state="+forged); status != http.StatusForbidden {
		t.Errorf("a forged state: status %d, want 403", status)
	}
	if n := exchanges(); n != 0 {
		t.Errorf("oauth.v2.access was called %d times for refused callbacks", n)
	}
	if len(d.store.records) != 0 {
		t.Errorf("installations after refused callbacks: %v", d.store.records)
	}

	// The same browser throughout: installed; its state is then used up.
	b := browser(t)
	link = d.beginInstall(t, b, "T1")
	if status, page := get(t, b, link); status != http.StatusOK {
		t.Fatalf("the install: %d\n%s", status, page)
	}
	if status, _ := get(t, b, link); status != http.StatusForbidden {
		t.Errorf("the same state again: status %d, want 403", status)
	}
	if n := exchanges(); n != 1 {
		t.Errorf("oauth.v2.access calls: %d, want 1", n)
	}
}

func TestInstallCallbackSaysWhenTheInstallWasCancelled(t *testing.T) {
	d := startDistributedApp(t)
	b := browser(t)
	link, _ := url.Parse(d.beginInstall(t, b, "T1"))
	state := link.Query().Get("state")
	status, page := get(t, b, d.srv.URL+OAuthCallbackPath+"?error=access_denied&state="+url.QueryEscape(state))
	if status != http.StatusOK || !strings.Contains(page, "cancelled") {
		t.Errorf("a cancelled install: %d\n%s", status, page)
	}
	if n := len(d.fake.Calls("oauth.v2.access")); n != 0 {
		t.Errorf("oauth.v2.access calls for a cancelled install: %d", n)
	}
}

func TestUninstallForgetsTheWorkspaceAndItsToken(t *testing.T) {
	d := startDistributedApp(t)
	d.install(t, "T1")
	d.install(t, "T2")
	ctx := testContext(t)
	u1 := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}
	u2 := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T2", User: "U2"}
	if _, err := d.app.Send(ctx, u1, bot.Message{Text: "before"}); err != nil {
		t.Fatal(err)
	}

	// An uninstall that is not Slack's (no valid signature) changes nothing.
	if status, _ := post(t, d.srv, EventsPath, d.fake.AppUninstalled("T1"), "not-the-secret", time.Now()); status != http.StatusUnauthorized {
		t.Errorf("an unsigned app_uninstalled: status %d, want 401", status)
	}
	if _, ok := d.store.records["T1"]; !ok {
		t.Fatal("an unsigned app_uninstalled removed T1")
	}

	d.fake.Uninstall("T1")
	d.event(t, d.fake.AppUninstalled("T1"))
	waitUntil(t, "T1 is forgotten", func() bool { return d.store.removedWith("T1") != "" })
	if got := d.store.removedWith("T1"); !strings.Contains(got, "app_uninstalled") {
		t.Errorf("T1 removed with reason %q", got)
	}
	_, err := d.app.Send(ctx, u1, bot.Message{Text: "after"})
	var permanent *bot.PermanentError
	if !errors.As(err, &permanent) {
		t.Errorf("send to T1 after its uninstall: got %v, want a permanent error", err)
	}
	if _, err := d.app.Send(ctx, u2, bot.Message{Text: "T2 goes on"}); err != nil {
		t.Errorf("send to T2: %v", err)
	}

	// tokens_revoked of people's tokens only: the bot's stays.
	d.event(t, d.fake.TokensRevoked("T2"))
	d.event(t, d.fake.TokensRevoked("T2", "UB2"))
	waitUntil(t, "T2 is forgotten", func() bool { return d.store.removedWith("T2") != "" })
	if got := d.store.removedWith("T2"); !strings.Contains(got, "tokens_revoked") {
		t.Errorf("T2 removed with reason %q", got)
	}
	if len(d.store.records) != 0 {
		t.Errorf("installations left: %v", d.store.records)
	}
	for _, c := range d.fake.Calls("chat.postMessage") {
		if c.Param("text") == "after" {
			t.Error("a message went to T1 after its uninstall")
		}
	}
}

func TestStateIsSignedAndExpires(t *testing.T) {
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	state := newState(testStateKey, now.Add(stateLifetime))
	if err := checkState(testStateKey, state, now); err != nil {
		t.Fatalf("a fresh state: %v", err)
	}
	if len(state) > maxStateLength {
		t.Errorf("a state is %d characters, more than checkState reads", len(state))
	}
	tests := map[string]struct {
		key   []byte
		state string
		at    time.Time
	}{
		"expired":         {testStateKey, state, now.Add(stateLifetime + time.Second)},
		"another key":     {bytes.Repeat([]byte("x"), 32), state, now},
		"changed expiry":  {testStateKey, strings.Replace(state, ".", ".1", 1), now},
		"empty":           {testStateKey, "", now},
		"no mac":          {testStateKey, state[:strings.LastIndex(state, ".")], now},
		"too long":        {testStateKey, state + strings.Repeat("A", maxStateLength), now},
		"not a number":    {testStateKey, "a.b." + stateMAC(testStateKey, "a", "b"), now},
		"only separators": {testStateKey, "..", now},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if err := checkState(tt.key, tt.state, tt.at); err == nil {
				t.Errorf("checkState(%q) accepted it", tt.state)
			}
		})
	}
}

func FuzzCheckState(f *testing.F) {
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	f.Add(newState(testStateKey, now.Add(time.Minute)))
	f.Add("a.1.b")
	f.Add("..")
	f.Add("")
	f.Fuzz(func(t *testing.T, state string) {
		err := checkState(testStateKey, state, now)
		if err == nil {
			// Only a state this key signed passes: its MAC is the one
			// computed over its own nonce and expiry.
			nonce, rest, _ := strings.Cut(state, ".")
			exp, mac, _ := strings.Cut(rest, ".")
			if mac != stateMAC(testStateKey, nonce, exp) {
				t.Errorf("checkState(%q) passed a state this key did not sign", state)
			}
		}
	})
}

// A replica that still holds a workspace's old token, after the workspace
// removed the app and added it again through another replica, tries again
// with the new token instead of dropping the delivery.
func TestAnotherReplicaTakesUpAReinstall(t *testing.T) {
	d := startDistributedApp(t)
	installs, err := install.New(install.Options{Store: d.store, Key: bytes.Repeat([]byte("s"), 32)})
	if err != nil {
		t.Fatal(err)
	}
	replica := New(Options{SigningSecret: testSecret, APIURL: d.fake.APIURL(), Logger: testLogger(t), ClientID: "fake-client-id",
		ClientSecret: "fake-client-secret", Installations: installs, StateKey: testStateKey})
	ctx := testContext(t)
	ann := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}

	d.install(t, "T1")
	old := d.fake.InstalledToken("T1")
	if _, err := replica.Send(ctx, ann, bot.Message{Text: "one"}); err != nil {
		t.Fatal(err)
	}
	d.fake.Uninstall("T1")
	d.install(t, "T1")
	renewed := d.fake.InstalledToken("T1")

	_, err = replica.Send(ctx, ann, bot.Message{Text: "two"})
	var permanent *bot.PermanentError
	if err == nil || errors.As(err, &permanent) {
		t.Fatalf("the send with the old token: got %v, want a transient error", err)
	}
	if _, err := replica.Send(ctx, ann, bot.Message{Text: "two"}); err != nil {
		t.Fatalf("the send again: %v", err)
	}
	calls := d.fake.Calls("chat.postMessage")
	if last := calls[len(calls)-1]; last.Token != renewed || last.Param("text") != "two" || renewed == old {
		t.Errorf("the last post went with %q, want the new token %q (old %q)", last.Token, renewed, old)
	}
}
