package profilesync_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/profilesync"
	"github.com/tenderbot/tenderbot/matching"
)

// versions is a Store in memory: the PostgreSQL tests run the same rules
// on the real store, across replicas.
type versions struct {
	mu      sync.Mutex
	changes []profilesync.Change // in version order
}

func (v *versions) change(c profilesync.Change) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c.Version = int64(len(v.changes) + 1)
	v.changes = append(v.changes, c)
}

func (v *versions) ProfileVersion(context.Context) (int64, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return int64(len(v.changes)), nil
}

func (v *versions) ProfileChanges(_ context.Context, after int64, limit int) ([]profilesync.Change, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	rest := v.changes[min(after, int64(len(v.changes))):]
	return append([]profilesync.Change(nil), rest[:min(limit, len(rest))]...), nil
}

func matches(m bot.Matcher, title string) int {
	n := bot.Notice{ID: "n", Title: title}
	return len(m.Match(&n))
}

func TestApplyFollowsEveryChangeAfterTheStart(t *testing.T) {
	ctx := context.Background()
	store := &versions{}
	store.change(profilesync.Change{ProfileID: 1, Query: "sporthal"}) // loaded at start, not by the Syncer
	index := matching.NewIndex(matching.Options{})
	s, err := profilesync.New(ctx, profilesync.Options{Store: store, Matcher: index})
	if err != nil {
		t.Fatal(err)
	}
	for id := int64(2); id <= 2500; id++ { // more than one page
		store.change(profilesync.Change{ProfileID: id, Query: fmt.Sprintf("sporthal%d", id)})
	}
	store.change(profilesync.Change{ProfileID: 2, Query: "zwembad"})
	store.change(profilesync.Change{ProfileID: 3, Deleted: true})
	store.change(profilesync.Change{ProfileID: 4, Paused: true, Query: "sporthal4"})
	store.change(profilesync.Change{ProfileID: 5, Query: "cpv:(("}) // no longer compiles
	n, err := s.Apply(ctx)
	if err != nil || n != 2503 {
		t.Fatalf("Apply: %d changes, %v; want 2503", n, err)
	}
	tests := []struct {
		title string
		want  int
	}{
		{"sporthal", 0}, // profile 1 came with the start's load, not here
		{"zwembad", 1},
		{"sporthal2", 0},
		{"sporthal3", 0},
		{"sporthal4", 0},
		{"sporthal5", 0},
		{"sporthal6", 1},
	}
	for _, tt := range tests {
		if got := matches(index, tt.title); got != tt.want {
			t.Errorf("%q matches %d profiles, want %d", tt.title, got, tt.want)
		}
	}
	if n, err := s.Apply(ctx); err != nil || n != 0 {
		t.Errorf("a second Apply: %d changes, %v; want none", n, err)
	}
}
