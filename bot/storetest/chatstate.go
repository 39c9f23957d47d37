package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// chatStore keeps what people are in the middle of in chat (a form between
// its steps, an interaction acknowledged but not yet answered) for the chat
// adapters, which declare the same methods where they use them. Every
// store keeps it.
type chatStore interface {
	PutChatState(ctx context.Context, key string, value []byte, expires time.Time) error
	ChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error)
	TakeChatState(ctx context.Context, key string, now time.Time) ([]byte, bool, error)
	DeleteChatState(ctx context.Context, key string) error
	ChatStates(ctx context.Context, prefix string, now time.Time) (map[string][]byte, error)
}

func chatStateTests() []test {
	return []test{
		{"ChatStateIsKeptUntilItExpires", testChatStateIsKeptUntilItExpires},
		{"ChatStateIsTakenOnce", testChatStateIsTakenOnce},
		{"ChatStatesAreListedByPrefix", testChatStatesAreListedByPrefix},
	}
}

func chatStoreOf(t *testing.T, s bot.Store) chatStore {
	t.Helper()
	cs, ok := s.(chatStore)
	if !ok {
		t.Fatalf("%T keeps no chat state", s)
	}
	return cs
}

func testChatStateIsKeptUntilItExpires(t *testing.T, store bot.Store, _ *bottest.Clock) {
	s, ctx, now := chatStoreOf(t, store), context.Background(), epoch
	for _, v := range []string{`{"v":1}`, `{"v":2}`} {
		if err := s.PutChatState(ctx, "form:a", []byte(v), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok, err := s.ChatState(ctx, "form:a", now); err != nil || !ok || string(v) != `{"v":2}` {
		t.Errorf("read: got %q %v %v, want the value put last", v, ok, err)
	}
	if _, ok, err := s.ChatState(ctx, "form:a", now.Add(time.Minute)); err != nil || ok {
		t.Errorf("read at expiry: got %v %v, want nothing", ok, err)
	}
	if _, ok, err := s.ChatState(ctx, "form:b", now); err != nil || ok {
		t.Errorf("read of another key: got %v %v, want nothing", ok, err)
	}
	if _, ok, err := s.TakeChatState(ctx, "form:a", now.Add(time.Minute)); err != nil || ok {
		t.Errorf("take at expiry: got %v %v, want nothing", ok, err)
	}
	if err := s.PutChatState(ctx, "form:c", []byte("x"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChatState(ctx, "form:c"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ChatState(ctx, "form:c", now); ok {
		t.Error("a deleted form is still there")
	}
}

func testChatStateIsTakenOnce(t *testing.T, store bot.Store, _ *bottest.Clock) {
	s, ctx, now := chatStoreOf(t, store), context.Background(), epoch
	if err := s.PutChatState(ctx, "form:a", []byte("x"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var got atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, ok, err := s.TakeChatState(ctx, "form:a", now); err != nil {
				t.Error(err)
			} else if ok && string(v) == "x" {
				got.Add(1)
			}
		}()
	}
	wg.Wait()
	if got.Load() != 1 {
		t.Errorf("8 takes at once: %d got the form, want 1", got.Load())
	}
	if _, ok, _ := s.ChatState(ctx, "form:a", now); ok {
		t.Error("a taken form is still there")
	}
}

func testChatStatesAreListedByPrefix(t *testing.T, store bot.Store, _ *bottest.Clock) {
	s, ctx, now := chatStoreOf(t, store), context.Background(), epoch
	for key, expires := range map[string]time.Time{
		"interaction:1": now.Add(time.Minute),
		"interaction:2": now.Add(2 * time.Minute),
		"interaction:3": now.Add(time.Second), // expired when listed
		"form:1":        now.Add(time.Minute),
		"interactions":  now.Add(time.Minute), // not the prefix, though close
		"_nteraction:4": now.Add(time.Minute), // a LIKE pattern's wildcard would take it
	} {
		if err := s.PutChatState(ctx, key, []byte("v "+key), expires); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ChatStates(ctx, "interaction:", now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "listed", got, map[string][]byte{"interaction:1": []byte("v interaction:1"), "interaction:2": []byte("v interaction:2")})
	got, err = s.ChatStates(ctx, "nothing:", now)
	if err != nil || len(got) != 0 {
		t.Errorf("an unused prefix: got %v %v, want nothing", got, err)
	}
}
