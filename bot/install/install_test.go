package install_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/text"
)

// memStore keeps records in a map: enough to see what the service hands
// the store. The stores' own behaviour is bot/storetest's.
type memStore struct {
	mu      sync.Mutex
	records map[string]install.Record
	removed []string
}

func (m *memStore) SaveInstallation(_ context.Context, r install.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[string(r.Platform)+":"+r.Team] = r
	return nil
}

func (m *memStore) Installation(_ context.Context, p bot.Platform, team string) (install.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[string(p)+":"+team]
	if !ok {
		return install.Record{}, bot.Errorf(bot.ENOTFOUND, "not installed in %s", team)
	}
	return r, nil
}

func (m *memStore) Installations(_ context.Context, p bot.Platform) ([]install.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []install.Record
	for _, r := range m.records {
		if r.Platform == p {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) RemoveInstallation(_ context.Context, p bot.Platform, team, reason string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, string(p)+":"+team)
	m.removed = append(m.removed, team+": "+reason)
	return 0, nil
}

func newService(t *testing.T, key []byte, store install.Store, log *slog.Logger) *install.Service {
	t.Helper()
	s, err := install.New(install.Options{Store: store, Key: key, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var key = bytes.Repeat([]byte{7}, 32)

func TestTokensAreSealedInTheStoreAndOpenWithTheKey(t *testing.T) {
	ctx := context.Background()
	store := &memStore{records: map[string]install.Record{}}
	var logged bytes.Buffer
	s := newService(t, key, store, slog.New(slog.NewTextHandler(&logged, nil)))
	in := install.Installation{Platform: bot.PlatformSlack, Team: "T1", TeamName: "Bouw BV", BotUser: "UB1", BotToken: "xoxb-secret-one", InstalledAt: time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)}
	if err := s.Add(ctx, in); err != nil {
		t.Fatal(err)
	}
	r := store.records["slack:T1"]
	if bytes.Contains(r.SealedToken, []byte("xoxb-secret-one")) || len(r.SealedToken) == 0 {
		t.Fatalf("the store holds the token in the clear: %q", r.SealedToken)
	}
	got, err := s.Get(ctx, bot.PlatformSlack, "T1")
	if err != nil {
		t.Fatal(err)
	}
	if got != in {
		t.Errorf("got %+v, want %+v", got, in)
	}
	if strings.Contains(logged.String(), "xoxb-secret-one") || strings.Contains(fmt.Sprint(got), "xoxb-secret-one") {
		t.Errorf("the token shows in the log or in fmt:\n%s", logged.String())
	}

	// Another key opens nothing, and says so without the token.
	other := newService(t, bytes.Repeat([]byte{8}, 32), store, nil)
	if _, err := other.Get(ctx, bot.PlatformSlack, "T1"); err == nil || !strings.Contains(err.Error(), "TENDERBOT_SECRET_KEY") {
		t.Errorf("opened with another key: err %v", err)
	}
	// A sealed token moved to another workspace's row does not open there.
	moved := r
	moved.Team = "T2"
	store.records["slack:T2"] = moved
	if _, err := s.Get(ctx, bot.PlatformSlack, "T2"); err == nil {
		t.Error("a token sealed for T1 opened as T2's")
	}
}

func TestEachSealIsFresh(t *testing.T) {
	ctx := context.Background()
	store := &memStore{records: map[string]install.Record{}}
	s := newService(t, key, store, nil)
	in := install.Installation{Platform: bot.PlatformSlack, Team: "T1", BotToken: "xoxb-same"}
	s.Add(ctx, in)
	first := store.records["slack:T1"].SealedToken
	s.Add(ctx, in)
	if bytes.Equal(first, store.records["slack:T1"].SealedToken) {
		t.Error("the same token sealed twice gives the same bytes: the nonce is not fresh")
	}
}

func TestAddRefusesAnIncompleteInstallation(t *testing.T) {
	s := newService(t, key, &memStore{records: map[string]install.Record{}}, nil)
	for _, in := range []install.Installation{
		{Platform: bot.PlatformSlack, Team: "T1"},
		{Platform: bot.PlatformSlack, BotToken: "xoxb-1"},
		{Team: "T1", BotToken: "xoxb-1"},
	} {
		err := s.Add(context.Background(), in)
		if bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Add(%+v): got %v, want EINVALID", in, err)
		}
		if got, want := bot.ErrorText(text.For(text.Dutch), err), "een installatie heeft een platform, een werkruimte en een bot-token nodig"; got != want {
			t.Errorf("Add(%+v) in Dutch: got %q, want %q", in, got, want)
		}
	}
}

func TestNewWantsA32ByteKey(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := install.New(install.Options{Store: &memStore{}, Key: make([]byte, n)}); err == nil {
			t.Errorf("a %d-byte key was taken", n)
		}
	}
}
