package postgres

import (
	"context"
	"testing"
	"time"
)

// What the contract suite cannot see: expired rows leave the table as new
// ones are kept.
func TestChatStateForgetsExpiredRows(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	if err := s.PutChatState(ctx, "form:old", []byte("x"), clock.Now().Add(time.Second)); err != nil {
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
