package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// freeAddr returns a loopback address with a port free now, for a child
// process to listen on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitServing waits until a replica's HTTP listener answers /readyz with
// 200.
func waitServing(ctx context.Context, t *testing.T, addr string, logs *syncBuffer) {
	t.Helper()
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("the replica on %s never got ready\nlogs:\n%s", addr, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPendingInteractionSurvivesAReplicaKilled runs two replicas, as
// processes of their own, on one PostgreSQL database with Discord's HTTP
// interactions. One acknowledges a command ("thinking…"), has the core's
// answer and is killed (SIGKILL) while its edit of the response is on
// its way: the other replica finds the interaction left unanswered and
// answers it through the interaction's webhook, with the answer the core
// gave, without running the command twice.
func TestPendingInteractionSurvivesAReplicaKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two bots in child processes; skipped with -short")
	}
	url := pgtest.URL(t)
	db, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	t.Setenv("TENDERBOT_DATABASE_URL", url)
	t.Setenv("TENDERBOT_LOG_LEVEL", "info")
	discordEnv(t, fake)
	t.Setenv("TENDERBOT_DISCORD_PUBLIC_KEY", fake.PublicKey())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var logs syncBuffer
	addrA, addrB := freeAddr(t), freeAddr(t)
	a := startChild(t, &logs, "TENDERBOT_HTTP_ADDR="+addrA)
	waitServing(ctx, t, addrA, &logs)
	startChild(t, &logs, "TENDERBOT_HTTP_ADDR="+addrB)
	waitServing(ctx, t, addrB, &logs)

	fake.HoldReplies()
	o := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
	ex, err := fake.Deliver(ctx, "http://"+addrA+"/discord/interactions",
		fakediscord.Command(o, "tender", fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:45"))))
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Wait(ctx, func() bool { return fake.HeldReplies() == 1 }); err != nil {
		t.Fatalf("replica A never sent its answer: %v\nlogs:\n%s", err, logs.String())
	}
	a.Process.Kill()
	a.Wait()
	killed := time.Now()
	// Its held edit is dropped with its connection, before any reply may
	// go: what arrives now comes from replica B.
	if err := fake.Wait(ctx, func() bool { return fake.HeldReplies() == 0 }); err != nil {
		t.Fatal(err)
	}
	fake.ReleaseReplies()
	if len(ex.Replies()) != 0 {
		t.Fatalf("the killed replica's answer arrived: %+v", ex.Replies())
	}

	if _, err := ex.WaitReply(ctx, "Saved profile 1"); err != nil {
		t.Fatalf("no replica answered the interaction: %v\nlogs:\n%s", err, logs.String())
	}
	answered := time.Since(killed)
	if !strings.Contains(logs.String(), "answering an interaction another replica left unanswered") {
		t.Errorf("the log does not say replica B answered for A:\n%s", logs.String())
	}
	var profiles, pending int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM profiles`).Scan(&profiles); err != nil {
		t.Fatal(err)
	}
	if profiles != 1 {
		t.Errorf("%d profiles saved, want 1: the command ran again", profiles)
	}
	// Answered, the interaction leaves the store.
	for {
		if err := db.QueryRow(ctx, `SELECT count(*) FROM chat_state WHERE key LIKE 'discord-interaction:%'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d interactions still kept after the answer", pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("replica B answered the interaction replica A acknowledged %s after A was killed", answered.Round(time.Millisecond))
}
