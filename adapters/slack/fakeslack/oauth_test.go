package fakeslack

import (
	"net/http"
	"net/url"
	"testing"
)

const form = "application/x-www-form-urlencoded"

// authorize approves an install for team and returns the code Slack sent
// back to the redirect URL.
func authorize(t *testing.T, s *Server, team, redirect string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"client_id": {"fake-client-id"}, "scope": {"commands,chat:write"}, "redirect_uri": {redirect}, "state": {"st-1"}, "team": {team}}
	resp, err := client.Get(s.AuthorizeURL() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d, want 302", resp.StatusCode)
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if back.Query().Get("state") != "st-1" {
		t.Errorf("the state came back as %q, want st-1", back.Query().Get("state"))
	}
	return back.Query().Get("code")
}

func TestOAuthHandsOutATokenPerWorkspace(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	const redirect = "https://bot.example/slack/oauth/callback"
	exchange := func(code, secret, uri string) map[string]any {
		body := url.Values{"client_id": {"fake-client-id"}, "client_secret": {secret}, "code": {code}, "redirect_uri": {uri}}.Encode()
		_, _, answer := call(t, s, "oauth.v2.access", http.Header{}, form, body)
		return answer
	}
	code := authorize(t, s, "T2", redirect)
	if a := exchange(code, "wrong", redirect); a["error"] != "bad_client_secret" {
		t.Errorf("a wrong secret: %v", a)
	}
	if a := exchange(code, "fake-client-secret", "https://elsewhere/cb"); a["error"] != "bad_redirect_uri" {
		t.Errorf("another redirect_uri: %v", a)
	}
	a := exchange(code, "fake-client-secret", redirect)
	token, _ := a["access_token"].(string)
	if a["ok"] != true || token == "" || a["team"].(map[string]any)["id"] != "T2" {
		t.Fatalf("the exchange: %v", a)
	}
	if a := exchange(code, "fake-client-secret", redirect); a["error"] != "invalid_code" {
		t.Errorf("the same code twice: %v", a)
	}
	if got := s.InstalledToken("T2"); got != token {
		t.Errorf("InstalledToken: %q, want %q", got, token)
	}

	_, _, answer := call(t, s, "auth.test", http.Header{"Authorization": {"Bearer " + token}}, form, "")
	if answer["team_id"] != "T2" {
		t.Errorf("auth.test with T2's token: %v", answer)
	}
	if c := s.Calls("auth.test"); len(c) != 1 || c[0].Team != "T2" {
		t.Errorf("the call's team: %+v", c)
	}
	s.Uninstall("T2")
	if _, _, answer := call(t, s, "auth.test", http.Header{"Authorization": {"Bearer " + token}}, form, ""); answer["error"] != "token_revoked" {
		t.Errorf("after Uninstall: %v", answer)
	}
	if s.InstalledToken("T2") != "" {
		t.Error("InstalledToken after Uninstall is not empty")
	}
}
