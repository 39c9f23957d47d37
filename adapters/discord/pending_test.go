package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
)

// sharedStore is a PendingStore in memory that several adapters share, as
// replicas share their database.
type sharedStore struct{ *memoryForms }

func (s sharedStore) ChatStates(_ context.Context, prefix string, now time.Time) (map[string][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := map[string][]byte{}
	for key, k := range s.kept {
		if strings.HasPrefix(key, prefix) && now.Before(k.expires) {
			kept[key] = k.body
		}
	}
	return kept, nil
}

func (s sharedStore) pending() int {
	kept, _ := s.ChatStates(context.Background(), pendingPrefix, time.Now())
	return len(kept)
}

// acknowledge sends an interaction's deferral to the fake as a replica
// that then died would have.
func acknowledge(t *testing.T, fake *fakediscord.Server, i *discordgo.Interaction) {
	t.Helper()
	body, _ := json.Marshal(deferReply())
	resp, err := http.Post(fake.URL()+"interactions/"+i.ID+"/"+i.Token+"/callback", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deferral: status %d", resp.StatusCode)
	}
}

func TestAnAnsweredInteractionLeavesTheStore(t *testing.T) {
	store := sharedStore{newMemoryForms()}
	r := start(t, func(o *Options, _ *fakediscord.Server) { o.Forms = store })
	ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}, "tender",
		fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:45"))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(testCtx(t), "ran"); err != nil {
		t.Fatal(err)
	}
	wait(t, "the answered interaction to leave the store", func() bool { return store.pending() == 0 })
}

// An interaction a replica acknowledged and died before the core answered
// is answered by another replica, which asks the core itself.
func TestAnotherReplicaAnswersAnInteractionLeftUnanswered(t *testing.T) {
	store := sharedStore{newMemoryForms()}
	r := start(t, func(o *Options, _ *fakediscord.Server) { o.Forms = store })
	ex, _, err := r.fake.Prepare(fakediscord.Command(fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}, "tender",
		fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:45"))))
	if err != nil {
		t.Fatal(err)
	}
	i := ex.Interaction()
	acknowledge(t, r.fake, i)
	raw, _ := json.Marshal(i)
	rec, _ := json.Marshal(pendingRecord{Interaction: raw, Owner: "dead", AliveUntil: time.Now().Add(-time.Second), Expires: time.Now().Add(time.Minute)})
	store.PutChatState(context.Background(), pendingPrefix+i.ID, rec, time.Now().Add(time.Minute))

	if _, err := ex.WaitReply(testCtx(t), "ran `subscribe cpv:45`"); err != nil {
		t.Fatal(err)
	}
	if n := len(r.core.commands); n != 1 {
		t.Errorf("the core ran %d commands, want 1", n)
	}
	wait(t, "the answered interaction to leave the store", func() bool { return store.pending() == 0 })
}

// One whose claim is still renewed is left to its replica.
func TestAnInteractionStillBeingAnsweredIsLeftAlone(t *testing.T) {
	store := sharedStore{newMemoryForms()}
	r := start(t, func(o *Options, _ *fakediscord.Server) { o.Forms = store })
	ex, _, err := r.fake.Prepare(fakediscord.Command(fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}, "tender", fakediscord.Subcommand("profiles")))
	if err != nil {
		t.Fatal(err)
	}
	i := ex.Interaction()
	raw, _ := json.Marshal(i)
	rec, _ := json.Marshal(pendingRecord{Interaction: raw, Owner: "alive", AliveUntil: time.Now().Add(time.Hour), Expires: time.Now().Add(time.Hour)})
	store.PutChatState(context.Background(), pendingPrefix+i.ID, rec, time.Now().Add(time.Hour))
	time.Sleep(2 * pendingRenew) // two looks for orphans
	if n := len(ex.Replies()); n != 0 || store.pending() != 1 {
		t.Errorf("%d replies, %d kept; want none and the interaction kept for its replica", n, store.pending())
	}
}
