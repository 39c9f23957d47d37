package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// eventDialog is a staff member's event form in progress: the fields given
// so far and the one being asked for. It lives in memory: a form left for
// dialogTimeout, or across a restart, is dropped.
type eventDialog struct {
	fields  []field
	asking  eventField
	expires time.Time
}

// dialogTimeout is how long a half-filled event form waits for an answer.
const dialogTimeout = 15 * time.Minute

// eventNew answers "event new [key=value …]": with every required field
// it saves a draft and shows its reach; otherwise it asks for what is
// missing, one field at a time.
func (b *Bot) eventNew(ctx context.Context, c Command, args string) (Message, error) {
	if err := b.require(ctx, c.From, RoleStaff, "post events"); err != nil {
		return Message{}, err
	}
	fields, err := parseFields(args)
	if err != nil {
		return Message{}, err
	}
	return b.fillEventForm(ctx, c.From, fields)
}

// fillEventForm saves the draft when the fields are complete and valid,
// or remembers them and asks for the first missing or wrong one.
func (b *Bot) fillEventForm(ctx context.Context, from Subscriber, fields []field) (Message, error) {
	var e Event
	if err := b.applyEventFields(&e, fields); err != nil {
		return Message{}, err
	}
	if f, missing := missingEventField(e); missing {
		b.setDialog(from, &eventDialog{fields: fields, asking: f, expires: b.clock.Now().Add(dialogTimeout)})
		return Message{Text: askFor(f)}, nil
	}
	if err := checkEvent(e, b.clock.Now()); err != nil {
		// Ask for the field again; the rest of the form stays.
		if f, ok := findEventField(ErrorField(err)); ok {
			kept := fields[:0:0]
			for _, g := range fields {
				if h, _ := findEventField(g.Key); h.key != f.key {
					kept = append(kept, g)
				}
			}
			b.setDialog(from, &eventDialog{fields: kept, asking: f, expires: b.clock.Now().Add(dialogTimeout)})
			return Message{Text: ErrorMessage(err) + "\n" + askFor(f)}, nil
		}
		return Message{}, err
	}
	b.setDialog(from, nil)
	return b.saveDraft(ctx, from, e)
}

// continueDialog takes a line as the answer to the event form's question,
// if the person has a form in progress: every line is, whatever word it
// starts with ("Home care consultation" is a title), except "help", an
// "event …" command, and "cancel", which drops the form. "event end=16:00"
// is an answer too, as fields: the way chats without free text (a Discord
// slash command) send it.
func (b *Bot) continueDialog(ctx context.Context, c Command) (Message, bool) {
	text := strings.TrimSpace(c.Text)
	name, rest := splitCommand(text)
	switch pairs, err := parseFields(rest); {
	case name == "event" && err == nil && knownFields(pairs):
		text = rest
	case name == "event" || name == "help":
		return Message{}, false
	}
	// Taken, not read: of two answers at once, one fills the form and the
	// other is a line like any other.
	d := b.takeDialog(c.From)
	if d == nil {
		return Message{}, false
	}
	if strings.EqualFold(text, "cancel") {
		return Message{Text: "Event form cancelled; nothing was saved."}, true
	}
	answer := []field{{Key: d.asking.key, Value: text}}
	if pairs, err := parseFields(text); err == nil && knownFields(pairs) {
		answer = pairs
	}
	fields := append(append([]field(nil), d.fields...), answer...)
	reply, err := b.fillEventForm(ctx, c.From, fields)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("event form failed", "subscriber", c.From.Key(), "err", err)
		}
		b.setDialog(c.From, d) // the question stands
		return Message{Text: ErrorMessage(err) + "\n" + askFor(d.asking)}, true
	}
	return reply, true
}

// knownFields reports whether every pair names a form field.
func knownFields(pairs []field) bool {
	for _, p := range pairs {
		if _, ok := findEventField(p.Key); !ok {
			return false
		}
	}
	return len(pairs) > 0
}

// takeDialog removes and returns the person's form in progress; nil when
// none, or when it was left too long.
func (b *Bot) takeDialog(s Subscriber) *eventDialog {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.dialogs[s]
	delete(b.dialogs, s)
	if d != nil && b.clock.Now().After(d.expires) {
		return nil
	}
	return d
}

// setDialog remembers the person's form in progress; nil forgets it.
func (b *Bot) setDialog(s Subscriber, d *eventDialog) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d == nil {
		delete(b.dialogs, s)
		return
	}
	b.dialogs[s] = d
}

// saveDraft stores a complete event as a draft and shows who it would
// reach, with the button that publishes it.
func (b *Bot) saveDraft(ctx context.Context, from Subscriber, e Event) (Message, error) {
	if err := b.require(ctx, from, RoleStaff, "post events"); err != nil {
		return Message{}, err // the role may have gone while the form was filled in
	}
	actors, err := b.store.AuditActors(ctx, []Subscriber{from})
	if err != nil {
		return Message{}, fmt.Errorf("event new: %w", err)
	}
	now := b.clock.Now()
	saved, err := b.store.ChangeEvent(ctx, 0, func(st EventState) (EventChange, error) {
		e.ID, e.Status, e.Organizer, e.CreatedAt, e.UpdatedAt = st.Event.ID, EventDraft, from, now, now
		trail := newAuditTrail(st, now)
		if err := trail.add("create", actors[from], eventRecord(e)); err != nil {
			return EventChange{}, err
		}
		return EventChange{Event: &e, Audit: trail.entries}, nil
	})
	if err != nil {
		return Message{}, fmt.Errorf("event new: %w", err)
	}
	b.log.Info("event drafted", "event", saved.ID, "by", from.Key())
	r, err := b.reach(ctx, saved)
	if err != nil {
		return Message{}, err
	}
	text := fmt.Sprintf("Draft saved as event %d:\n%s\n\n%s\n\nPublish it with `event publish %d` (it goes on the public page first, then the invites go out); change it with `event update %d key=value`.",
		saved.ID, b.eventSummary(saved), r.text(b), saved.ID, saved.ID)
	return Message{Text: text, Actions: []Action{{Kind: ActionPublish, EventID: saved.ID}}}, nil
}

// askFor is the question for a missing field, with the ways to answer.
func askFor(f eventField) string {
	return fmt.Sprintf("%s (reply with the answer, or `event %s=…`; `cancel` drops the form)", f.prompt, f.key)
}
