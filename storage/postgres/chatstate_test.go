package postgres

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestChatStateIsKeptUntilItExpiresAndTakenOnce(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	now := clock.Now()
	if err := s.PutChatState(ctx, "form:a", []byte(`{"v":1}`), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutChatState(ctx, "form:a", []byte(`{"v":2}`), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
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

	var got atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok, err := s.TakeChatState(ctx, "form:a", now); err != nil {
				t.Error(err)
			} else if ok {
				got.Add(1)
			}
		}()
	}
	wg.Wait()
	if got.Load() != 1 {
		t.Errorf("8 takes at once: %d got the form, want 1", got.Load())
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

	// Expired rows are forgotten as new ones are kept.
	if err := s.PutChatState(ctx, "form:old", []byte("x"), now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := s.PutChatState(ctx, "form:new", []byte("x"), clock.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM chat_state`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows after an hour: got %d %v, want 1 (the expired one forgotten)", n, err)
	}
}
