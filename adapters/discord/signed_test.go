package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// startHTTP runs the adapter in HTTP mode against a fake Discord, with its
// interactions endpoint on a local server, and returns the endpoint's URL.
func startHTTP(t *testing.T) (running, string) {
	t.Helper()
	r := start(t, func(o *Options, fake *fakediscord.Server) {
		key, err := hex.DecodeString(fake.PublicKey()) // as copied from the developer portal
		if err != nil {
			t.Fatal(err)
		}
		o.PublicKey = key
	})
	srv := httptest.NewServer(r.d.InteractionHandler(r.core))
	t.Cleanup(srv.Close)
	return r, srv.URL
}

func TestHTTPInteractions(t *testing.T) {
	r, endpoint := startHTTP(t)
	guild := fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}

	t.Run("PING gets PONG", func(t *testing.T) {
		ex, err := r.fake.Deliver(testCtx(t), endpoint, fakediscord.Ping())
		if err != nil {
			t.Fatal(err)
		}
		if resp := ex.Responses()[0]; resp.Type != discordgo.InteractionResponsePong {
			t.Errorf("got response type %d, want PONG", resp.Type)
		}
	})

	t.Run("a command is deferred in the HTTP answer, then answered", func(t *testing.T) {
		ex, err := r.fake.Deliver(testCtx(t), endpoint, fakediscord.Command(guild, "tender", fakediscord.Subcommand("feeds")))
		if err != nil {
			t.Fatal(err)
		}
		if resp := ex.Responses()[0]; resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Errorf("HTTP answer: type %d, want a deferral", resp.Type)
		}
		if _, err := ex.WaitReply(testCtx(t), "ran `feeds`"); err != nil {
			t.Fatal(err)
		}
		if n := len(r.fake.CallsTo("POST /interactions/{id}/{token}/callback")); n != 0 {
			t.Errorf("%d callbacks: in HTTP mode the first response is the HTTP answer", n)
		}
	})

	body := func(t *testing.T) []byte {
		_, b, err := r.fake.Prepare(fakediscord.Command(guild, "tender", fakediscord.Subcommand("home")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	refused := []struct {
		name string
		sign func(b []byte) (ts, sig string)
	}{
		{"no signature", func([]byte) (string, string) { return "", "" }},
		{"a signature by another key", func(b []byte) (string, string) {
			_, other, _ := ed25519.GenerateKey(nil)
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			return ts, hex.EncodeToString(ed25519.Sign(other, append([]byte(ts), b...)))
		}},
		{"a body changed after signing", func(b []byte) (string, string) {
			ts, sig := r.fake.Sign(time.Now(), b)
			b[len(b)-2] ^= 1
			return ts, sig
		}},
		{"a timestamp six minutes old", func(b []byte) (string, string) { return r.fake.Sign(time.Now().Add(-6*time.Minute), b) }},
		{"a timestamp six minutes ahead", func(b []byte) (string, string) { return r.fake.Sign(time.Now().Add(6*time.Minute), b) }},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			b := body(t)
			ts, sig := tt.sign(b)
			status, _, err := r.fake.Post(testCtx(t), endpoint, b, ts, sig)
			if err != nil {
				t.Fatal(err)
			}
			if status != http.StatusUnauthorized {
				t.Errorf("got %d, want 401", status)
			}
		})
	}

	t.Run("refuses a replay", func(t *testing.T) {
		b := body(t)
		ts, sig := r.fake.Sign(time.Now(), b)
		first, answer, err := r.fake.Post(testCtx(t), endpoint, b, ts, sig)
		if err != nil || first != http.StatusOK {
			t.Fatalf("first delivery: %d %s %v", first, answer, err)
		}
		again, _, err := r.fake.Post(testCtx(t), endpoint, b, ts, sig)
		if err != nil || again != http.StatusUnauthorized {
			t.Errorf("replay: got %d %v, want 401", again, err)
		}
	})

	t.Run("refuses a replay with the signature in upper case", func(t *testing.T) {
		b := body(t)
		ts, sig := r.fake.Sign(time.Now(), b)
		if first, answer, err := r.fake.Post(testCtx(t), endpoint, b, ts, sig); err != nil || first != http.StatusOK {
			t.Fatalf("first delivery: %d %s %v", first, answer, err)
		}
		again, _, err := r.fake.Post(testCtx(t), endpoint, b, ts, strings.ToUpper(sig))
		if err != nil || again != http.StatusUnauthorized {
			t.Errorf("replay in upper case: got %d %v, want 401", again, err)
		}
	})

	t.Run("a form opens in the HTTP answer", func(t *testing.T) {
		ex, err := r.fake.Deliver(testCtx(t), endpoint, fakediscord.Command(guild, "tender", fakediscord.Subcommand("subscribe")))
		if err != nil {
			t.Fatal(err)
		}
		if resp := ex.Responses()[0]; resp.Type != discordgo.InteractionResponseModal || resp.Data.Title != "New profile" {
			t.Errorf("got %+v, want the personal profile modal", resp)
		}
	})
}

func TestReplaysFailClosedWhenFull(t *testing.T) {
	r := newReplays()
	now := time.Unix(1_800_000_000, 0)
	for i := range maxReplays {
		r.seen[strconv.Itoa(i)] = now.Add(time.Minute)
	}
	ctx := context.Background()
	if _, err := r.SeenRequest(ctx, "new", now, now.Add(10*time.Minute)); !errors.Is(err, errTooManySignatures) {
		t.Errorf("full of live signatures: got %v, want errTooManySignatures", err)
	}
	later := now.Add(2 * time.Minute)
	if fresh, err := r.SeenRequest(ctx, "new", later, later.Add(10*time.Minute)); !fresh || err != nil {
		t.Errorf("once they expired: got %v %v, want the new one accepted", fresh, err)
	}
	if fresh, err := r.SeenRequest(ctx, "new", later, later.Add(10*time.Minute)); fresh || err != nil {
		t.Errorf("the same again: got %v %v, want a replay", fresh, err)
	}
}

func TestHTTPInteractionsRememberedAcrossARestart(t *testing.T) {
	replays := &bottest.Replays{}
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	key, err := hex.DecodeString(fake.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	var ts, sig string
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		r := startOn(t, fake, func(o *Options, _ *fakediscord.Server) {
			o.PublicKey = key
			o.Replays = replays
		})
		srv := httptest.NewServer(r.d.InteractionHandler(r.core))
		if b == nil {
			var err error
			_, b, err = r.fake.Prepare(fakediscord.Command(fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}, "tender", fakediscord.Subcommand("home")))
			if err != nil {
				t.Fatal(err)
			}
			ts, sig = r.fake.Sign(time.Now(), b)
		}
		status, _, err := r.fake.Post(testCtx(t), srv.URL, b, ts, sig)
		srv.Close()
		if err != nil || status != want {
			t.Errorf("run %d: got %d %v, want %d", i+1, status, err, want)
		}
	}
}

// neverLeads is the gateway leader of a replica that never holds the
// gateway.
type neverLeads struct{}

func (neverLeads) Lead(ctx context.Context, _ func(context.Context)) error {
	<-ctx.Done()
	return nil
}

// TestHTTPInteractionsOnAReplicaWithoutTheGateway: in HTTP mode every
// replica answers the interactions that reach it, leader of the gateway or
// not, and none opens the gateway.
func TestHTTPInteractionsOnAReplicaWithoutTheGateway(t *testing.T) {
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	key, err := hex.DecodeString(fake.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Token: fake.Token(), AppID: fake.AppID(), APIURL: fake.URL(), PublicKey: key, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	d.LeadGateway(neverLeads{})
	core := &stubCore{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, core) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	wait(t, "the adapter to connect", d.Connected)
	srv := httptest.NewServer(d.InteractionHandler(core))
	defer srv.Close()
	ex, err := fake.Deliver(testCtx(t), srv.URL, fakediscord.Command(fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}, "tender", fakediscord.Subcommand("feeds")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(testCtx(t), "ran `feeds`"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Sessions(); n != 0 {
		t.Errorf("%d gateway sessions in HTTP mode, want none", n)
	}
}
