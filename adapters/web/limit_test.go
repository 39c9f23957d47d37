package web

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(3, 10*time.Second, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.allow("192.0.2.1"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("192.0.2.1")
	if ok || wait != 10*time.Second {
		t.Fatalf("past the burst: got %v, wait %s; want refused, wait 10s", ok, wait)
	}
	if ok, _ := l.allow("192.0.2.2"); !ok {
		t.Error("another address was refused")
	}
	now = now.Add(4 * time.Second)
	if _, wait := l.allow("192.0.2.1"); wait != 6*time.Second {
		t.Errorf("4s later: wait %s, want 6s", wait)
	}
	now = now.Add(6 * time.Second)
	if ok, _ := l.allow("192.0.2.1"); !ok {
		t.Error("refused once the wait was over")
	}
	if ok, _ := l.allow("192.0.2.1"); ok {
		t.Error("a second request allowed where one token came back")
	}
}

func TestTokensAreBoundToTheirUse(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	link := UnsubscribeURL("https://events.example/", key, "jan@zon.example")
	if want := "https://events.example/unsubscribe?a=jan%40zon.example&t=" + sign(key, "unsubscribe", "jan@zon.example"); link != want {
		t.Errorf("link: got %s, want %s", link, want)
	}
	token := sign(key, "unsubscribe", "jan@zon.example")
	for name, ok := range map[string]bool{
		"the link's own":      validUnsubscribe(key, "jan@zon.example", token),
		"another address":     !validUnsubscribe(key, "piet@zon.example", token),
		"another key":         !validUnsubscribe([]byte("another key of thirty-two bytes!"), "jan@zon.example", token),
		"a CSRF token":        !validUnsubscribe(key, "jan@zon.example", sign(key, "csrf", "jan@zon.example")),
		"no token":            !validUnsubscribe(key, "jan@zon.example", ""),
		"no address, no sign": !validUnsubscribe(key, "", sign(key, "unsubscribe", "")),
	} {
		if !ok {
			t.Errorf("%s: wrong verdict", name)
		}
	}
}
