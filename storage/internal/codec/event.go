package codec

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
)

// EventWriter writes the parts of an event change inside a store's
// transaction. WriteEventChange calls it, having checked what it is given.
type EventWriter interface {
	// UpdateEvent replaces the event's row.
	UpdateEvent(e bot.Event) error
	// PutRegistration inserts r, or replaces the person's registration,
	// which keeps its place in the registration order.
	PutRegistration(r bot.Registration) error
	// PutQuestion inserts q, or replaces the question with its number.
	PutQuestion(q bot.Question) error
	// AddMaterial inserts m; its number is new.
	AddMaterial(m bot.Material) error
	// AppendAudit appends e to the event's chain, exactly as it is.
	AppendAudit(e audit.Entry) error
	// CancelPending cancels the pending deliveries whose key starts with
	// prefix.
	CancelPending(prefix string) error
	// Enqueue enqueues ds, skipping those whose key exists.
	Enqueue(ds []bot.Delivery) error
}

// WriteEventChange writes ch, made from state, through w, in the order
// every store writes it: the event (the whole row; its ID must be the
// state's), registrations, questions (numbered from 1), materials
// (numbered from 1), audit entries (each for the event, following on from
// the last entry by Seq and PrevHash, the first on audit.Genesis),
// cancellations of pending deliveries by key prefix, then the deliveries.
// A row for another event, or an entry that breaks the chain, fails the
// whole change.
func WriteEventChange(w EventWriter, state bot.EventState, ch bot.EventChange) error {
	id := state.Event.ID
	if e := ch.Event; e != nil {
		if e.ID != id {
			return fmt.Errorf("the changed event has id %d", e.ID)
		}
		if err := w.UpdateEvent(*e); err != nil {
			return fmt.Errorf("update: %w", err)
		}
	}
	for _, r := range ch.Registrations {
		err := sameEvent(r.EventID, id)
		if err == nil {
			r.EventID = id
			err = w.PutRegistration(r)
		}
		if err != nil {
			return fmt.Errorf("registration of %s: %w", r.Who.Key(), err)
		}
	}
	for _, q := range ch.Questions {
		err := numbered(q.EventID, id, q.Number, "questions")
		if err == nil {
			q.EventID = id
			err = w.PutQuestion(q)
		}
		if err != nil {
			return fmt.Errorf("question %d: %w", q.Number, err)
		}
	}
	for _, m := range ch.Materials {
		err := numbered(m.EventID, id, m.Number, "materials")
		if err == nil {
			m.EventID = id
			err = w.AddMaterial(m)
		}
		if err != nil {
			return fmt.Errorf("material %d: %w", m.Number, err)
		}
	}
	if err := checkChain(id, state.Last, ch.Audit); err != nil {
		return err
	}
	for _, e := range ch.Audit {
		if err := w.AppendAudit(e); err != nil {
			return fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
	}
	for _, prefix := range ch.Cancel {
		if err := w.CancelPending(prefix); err != nil {
			return err
		}
	}
	return w.Enqueue(ch.Deliveries)
}

// sameEvent checks that a row of event id names that event, or none.
func sameEvent(rowEvent, id int64) error {
	if rowEvent != 0 && rowEvent != id {
		return fmt.Errorf("it is for event %d", rowEvent)
	}
	return nil
}

// numbered checks a question's or material's event and number.
func numbered(rowEvent, id int64, number int, what string) error {
	if err := sameEvent(rowEvent, id); err != nil {
		return err
	}
	if number < 1 {
		return errors.New(what + " are numbered from 1")
	}
	return nil
}

// checkChain checks that entries follow on from last, the newest entry of
// event id's chain (zero when the chain is empty): each for the event, by
// Seq and by PrevHash.
func checkChain(id int64, last audit.Entry, entries []audit.Entry) error {
	prev := last
	if prev.Seq == 0 {
		prev.Hash = audit.Genesis
	}
	for _, e := range entries {
		switch {
		case e.Event != id:
			return fmt.Errorf("audit entry %d is for event %d", e.Seq, e.Event)
		case e.Seq != prev.Seq+1:
			return fmt.Errorf("audit entry %d does not follow entry %d", e.Seq, prev.Seq)
		case e.PrevHash != prev.Hash:
			return fmt.Errorf("audit entry %d: prev_hash %q is not the hash %q of the entry before it", e.Seq, e.PrevHash, prev.Hash)
		}
		prev = e
	}
	return nil
}

// NewPseudonym returns a fresh pseudonym for sub and the salt it is made
// from: "p-" and the first 32 hex digits of SHA-256(salt || subscriber
// key), with 16 random bytes of salt. The stores keep the pair in
// audit_actors, the only link from the pseudonym back to sub.
func NewPseudonym(sub bot.Subscriber) (actor string, salt []byte, err error) {
	salt = make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", nil, err
	}
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(sub.Key()))
	return "p-" + hex.EncodeToString(h.Sum(nil)[:16]), salt, nil
}

// AuditData is what an audit entry's data column holds: its bytes as
// sealed, or nil (NULL) for none, so that it comes back nil.
func AuditData(e audit.Entry) any {
	if e.Data == nil {
		return nil
	}
	return string(e.Data)
}
