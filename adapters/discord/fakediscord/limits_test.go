package fakediscord

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// post posts a message to a channel over plain HTTP, so that the test sees
// the wire answer and no client's own pacing.
func post(t *testing.T, s *Server, channel string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"channels/"+channel+"/messages", bytes.NewReader([]byte(`{"content":"hi"}`)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+s.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// limitedBody is the JSON body of Discord's 429.
type limitedBody struct {
	Message    string   `json:"message"`
	RetryAfter *float64 `json:"retry_after"`
	Global     *bool    `json:"global"`
}

func readLimited(t *testing.T, resp *http.Response) limitedBody {
	t.Helper()
	var b limitedBody
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	if b.RetryAfter == nil || b.Global == nil || b.Message == "" {
		t.Fatalf("429 body %+v lacks message, retry_after or global", b)
	}
	return b
}

func TestEnforcesAChannelsBucket(t *testing.T) {
	s := New(Options{Limits: Limits{PerChannel: 2, ChannelWindow: 400 * time.Millisecond}})
	defer s.Close()
	s.AddChannel("G", "C1")
	s.AddChannel("G", "C2")
	for i, wantRemaining := range []string{"1", "0"} {
		resp := post(t, s, "C1")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("post %d: status %d, want 200", i, resp.StatusCode)
		}
		if got := resp.Header.Get("X-RateLimit-Remaining"); got != wantRemaining {
			t.Errorf("post %d: X-RateLimit-Remaining %q, want %q", i, got, wantRemaining)
		}
		if resp.Header.Get("X-RateLimit-Limit") != "2" || resp.Header.Get("X-RateLimit-Bucket") == "" || resp.Header.Get("X-RateLimit-Reset-After") == "" {
			t.Errorf("post %d: headers %v", i, resp.Header)
		}
	}
	resp := post(t, s, "C1")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third post in the window: status %d, want 429", resp.StatusCode)
	}
	body := readLimited(t, resp)
	if *body.Global || *body.RetryAfter <= 0 || *body.RetryAfter > 0.4 {
		t.Errorf("429 body %+v, want global false and retry_after in (0, 0.4]", body)
	}
	if got := resp.Header.Get("X-RateLimit-Scope"); got != "user" {
		t.Errorf("X-RateLimit-Scope %q, want user", got)
	}
	if _, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil {
		t.Errorf("Retry-After %q: %v", resp.Header.Get("Retry-After"), err)
	}
	if got := post(t, s, "C2").StatusCode; got != http.StatusOK {
		t.Errorf("another channel: status %d, want 200 (a bucket per channel)", got)
	}
	time.Sleep(time.Duration(*body.RetryAfter*float64(time.Second)) + 10*time.Millisecond)
	if got := post(t, s, "C1").StatusCode; got != http.StatusOK {
		t.Errorf("after retry_after: status %d, want 200", got)
	}
	if got := s.RateLimited(); got != 1 {
		t.Errorf("RateLimited() = %d, want 1", got)
	}
	if got := len(s.Messages("C1")); got != 3 {
		t.Errorf("C1 holds %d messages, want 3 (the refused one not posted)", got)
	}
}

func TestEnforcesTheGlobalLimit(t *testing.T) {
	s := New(Options{Limits: Limits{Global: 3, PerChannel: -1}})
	defer s.Close()
	for i := range 3 {
		s.AddChannel("G", "C"+strconv.Itoa(i))
		if got := post(t, s, "C"+strconv.Itoa(i)).StatusCode; got != http.StatusOK {
			t.Fatalf("post %d: status %d, want 200", i, got)
		}
	}
	s.AddChannel("G", "C9")
	resp := post(t, s, "C9")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth request in a second: status %d, want 429", resp.StatusCode)
	}
	body := readLimited(t, resp)
	if !*body.Global || *body.RetryAfter <= 0 || *body.RetryAfter > 1 {
		t.Errorf("429 body %+v, want global true and retry_after in (0, 1]", body)
	}
	if resp.Header.Get("X-RateLimit-Global") != "true" || resp.Header.Get("X-RateLimit-Scope") != "global" {
		t.Errorf("headers %v, want X-RateLimit-Global true and scope global", resp.Header)
	}
	if got := s.RateLimited(); got != 1 {
		t.Errorf("RateLimited() = %d, want 1", got)
	}
}
