package discord

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
)

// PendingStore is a FormStore that also lists what it keeps by the start
// of its keys. With one, an interaction acknowledged ("thinking…") but
// not yet answered is kept in it until answered, so that when the replica
// answering it dies another answers it, within the 15 minutes its token
// lasts. storage/sqlite and storage/postgres implement it.
type PendingStore interface {
	FormStore
	// ChatStates returns what is kept under every key that starts with
	// prefix, by key, leaving out what expired at now.
	ChatStates(ctx context.Context, prefix string, now time.Time) (map[string][]byte, error)
}

const (
	// pendingPrefix starts the keys of the interactions being answered.
	pendingPrefix = "discord-interaction:"
	// pendingAlive is how long a replica's claim on an interaction lasts
	// unless renewed: an interaction whose claim ran out belongs to a
	// replica that died, and another answers it.
	pendingAlive = 10 * time.Second
	// pendingRenew is how often the replica answering an interaction
	// renews its claim, and how often every replica looks for the
	// interactions whose claim ran out.
	pendingRenew = 3 * time.Second
)

// pendingRecord is an interaction being answered, as the store keeps it:
// the interaction itself (its token answers it), who answers it and
// until when that claim holds, and the answer once the core gave it, so
// that whoever sends it does not ask the core twice.
type pendingRecord struct {
	Interaction json.RawMessage `json:"interaction"`
	Owner       string          `json:"owner"`
	AliveUntil  time.Time       `json:"alive_until"`
	Expires     time.Time       `json:"expires"`
	Answer      *bot.Message    `json:"answer,omitempty"`
	Lead        json.RawMessage `json:"lead,omitempty"` // the answer's leading rows of buttons
}

// pendings are the interactions this replica is answering, kept in a
// PendingStore; with none, nothing is kept and the methods do nothing.
type pendings struct {
	store PendingStore
	owner string // this replica
	log   *slog.Logger
	now   func() time.Time

	mu   sync.Mutex
	mine map[string]*pendingRecord // by interaction id
}

func newPendings(store FormStore, log *slog.Logger, now func() time.Time) *pendings {
	ps, _ := store.(PendingStore)
	b := make([]byte, 8)
	rand.Read(b)
	return &pendings{store: ps, owner: hex.EncodeToString(b), log: log, now: now, mine: map[string]*pendingRecord{}}
}

// begin keeps i as being answered by this replica, before its first
// response goes out. It reports false when the store could not keep it
// (the interaction is answered anyway, by this replica alone).
func (p *pendings) begin(ctx context.Context, i *discordgo.Interaction) bool {
	if p.store == nil {
		return false
	}
	raw, err := json.Marshal(i)
	if err != nil {
		p.log.Error("keep an interaction being answered", "interaction", i.ID, "err", err)
		return false
	}
	rec := &pendingRecord{Interaction: raw, Expires: p.now().Add(interactionLifetime)}
	return p.claim(ctx, i.ID, rec)
}

// claim makes rec this replica's to answer and keeps it.
func (p *pendings) claim(ctx context.Context, id string, rec *pendingRecord) bool {
	p.mu.Lock()
	rec.Owner, rec.AliveUntil = p.owner, p.now().Add(pendingAlive)
	p.mine[id] = rec
	p.mu.Unlock()
	return p.save(ctx, id, rec)
}

// save writes what is known of an interaction of this replica's.
func (p *pendings) save(ctx context.Context, id string, rec *pendingRecord) bool {
	ctx, cancel := context.WithTimeout(ctx, formStoreTimeout)
	defer cancel()
	p.mu.Lock()
	body, err := json.Marshal(rec)
	p.mu.Unlock()
	if err == nil {
		err = p.store.PutChatState(ctx, pendingPrefix+id, body, rec.Expires)
	}
	if err != nil {
		p.log.Warn("keep an interaction being answered", "interaction", id, "err", err)
		return false
	}
	return true
}

// answered notes the core's answer to an interaction of this replica's
// before it is sent, so that a replica taking it over sends that answer
// instead of asking the core again.
func (p *pendings) answered(ctx context.Context, id string, m bot.Message, lead []discordgo.MessageComponent) {
	p.mu.Lock()
	rec := p.mine[id]
	p.mu.Unlock()
	if rec == nil {
		return
	}
	rows, err := json.Marshal(lead)
	if err != nil {
		p.log.Error("keep an interaction's answer", "interaction", id, "err", err)
		return
	}
	p.mu.Lock()
	rec.Answer, rec.Lead, rec.AliveUntil = &m, rows, p.now().Add(pendingAlive)
	p.mu.Unlock()
	p.save(ctx, id, rec)
}

// answer runs the work that answers an interaction of this replica's,
// renewing the claim on it meanwhile, and forgets it once answered.
func (p *pendings) answer(ctx context.Context, id string, work func(context.Context)) {
	p.mu.Lock()
	rec := p.mine[id]
	p.mu.Unlock()
	if rec == nil {
		work(ctx)
		return
	}
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		ticker := time.NewTicker(pendingRenew)
		defer ticker.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ticker.C:
				p.mu.Lock()
				rec.AliveUntil = p.now().Add(pendingAlive)
				p.mu.Unlock()
				p.save(ctx, id, rec)
			}
		}
	}()
	work(ctx)
	close(stop)
	<-renewed
	if ctx.Err() != nil {
		p.release(id) // cut off by shutdown: another replica answers it
		return
	}
	p.forget(ctx, id)
}

// forget drops an interaction of this replica's: answered, or never
// acknowledged.
func (p *pendings) forget(ctx context.Context, id string) {
	p.mu.Lock()
	_, ok := p.mine[id]
	delete(p.mine, id)
	p.mu.Unlock()
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, formStoreTimeout)
	defer cancel()
	if err := p.store.DeleteChatState(ctx, pendingPrefix+id); err != nil {
		p.log.Warn("forget an answered interaction", "interaction", id, "err", err)
	}
}

// release lets go of an interaction of this replica's without answering
// it: its claim runs out and another replica answers it.
func (p *pendings) release(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.mine, id)
}

// orphans takes over the interactions whose replica stopped renewing its
// claim before answering them, and returns them with what is known of
// them. Of two replicas looking at once, one takes each.
func (p *pendings) orphans(ctx context.Context) map[string]*pendingRecord {
	if p.store == nil {
		return nil
	}
	now := p.now()
	kept, err := p.store.ChatStates(ctx, pendingPrefix, now)
	if err != nil {
		p.log.Warn("look for interactions left unanswered", "err", err)
		return nil
	}
	taken := map[string]*pendingRecord{}
	for key, body := range kept {
		id := key[len(pendingPrefix):]
		var rec pendingRecord
		if json.Unmarshal(body, &rec) != nil || rec.AliveUntil.After(now) || p.isMine(id) {
			continue
		}
		body, ok, err := p.store.TakeChatState(ctx, key, now)
		if err != nil || !ok || json.Unmarshal(body, &rec) != nil {
			continue // another replica took it first
		}
		if rec.AliveUntil.After(now) { // renewed meanwhile: its replica lives
			if err := p.store.PutChatState(ctx, key, body, rec.Expires); err != nil {
				p.log.Warn("hand back an interaction being answered", "interaction", id, "err", err)
			}
			continue
		}
		p.log.Info("answering an interaction another replica left unanswered", "interaction", id, "replica", rec.Owner, "answer_ready", rec.Answer != nil)
		if p.claim(ctx, id, &rec) {
			taken[id] = &rec
		}
	}
	return taken
}

func (p *pendings) isMine(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mine[id] != nil
}

// answerOrphans looks for interactions left unanswered by replicas that
// died every pendingRenew until ctx ends, and answers them: with the
// answer the core gave, when it was kept, else by asking the core again.
func (d *Discord) answerOrphans(ctx context.Context, core Core) {
	ticker := time.NewTicker(pendingRenew)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		for id, rec := range d.pending.orphans(ctx) {
			var i discordgo.Interaction
			if err := json.Unmarshal(rec.Interaction, &i); err != nil {
				d.log.Error("read an interaction left unanswered", "interaction", id, "err", err)
				d.pending.forget(ctx, id)
				continue
			}
			if !d.work.Go(func(ctx context.Context) {
				d.pending.answer(ctx, id, func(ctx context.Context) { d.resume(ctx, core, &i, rec) })
			}) {
				d.pending.release(id) // shutting down: another replica takes it once the claim runs out
			}
		}
	}
}

// resume answers an interaction acknowledged by a replica that died.
func (d *Discord) resume(ctx context.Context, core Core, i *discordgo.Interaction, rec *pendingRecord) {
	if rec.Answer != nil {
		var rows []discordgo.ActionsRow
		json.Unmarshal(rec.Lead, &rows)
		var lead []discordgo.MessageComponent
		for _, r := range rows {
			lead = append(lead, r)
		}
		d.reply(ctx, i, *rec.Answer, lead)
		return
	}
	resp, then := d.plan(core, i)
	switch {
	case then != nil:
		then(ctx)
	case resp != nil && resp.Data != nil && resp.Data.Content != "":
		d.reply(ctx, i, bot.Message{Text: resp.Data.Content}, nil)
	}
}
