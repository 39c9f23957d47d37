package engage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// eventDialog is a staff member's event form in progress: the fields given
// so far and the one being asked for. It lives in memory: a form left for
// dialogTimeout, or across a restart, is dropped.
type eventDialog struct {
	fields  []field
	asking  eventField
	expires time.Time
	// command is a line that reads as a command, held while the form
	// asks whether to leave it or take the line as the answer.
	command string
}

// dialogTimeout is how long a half-filled event form waits for an answer.
const dialogTimeout = 15 * time.Minute

// eventNew answers "event new [key=value …]": with every required field
// it saves a draft and shows its reach; otherwise it asks for what is
// missing, one field at a time.
func (svc *Service) eventNew(ctx context.Context, c bot.Command, args string) (bot.Message, error) {
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("post events")); err != nil {
		return bot.Message{}, err
	}
	fields, err := parseFields(args)
	if err != nil {
		return bot.Message{}, err
	}
	return svc.fillEventForm(ctx, c.Printer(), c.From, fields)
}

// fillEventForm saves the draft when the fields are complete and valid,
// or remembers them and asks for the first missing or wrong one, in p's
// language.
func (svc *Service) fillEventForm(ctx context.Context, p text.Printer, from bot.Subscriber, fields []field) (bot.Message, error) {
	var e bot.Event
	if err := svc.applyEventFields(p, &e, fields); err != nil {
		return bot.Message{}, err
	}
	if f, missing := missingEventField(e); missing {
		svc.setDialog(from, &eventDialog{fields: fields, asking: f, expires: svc.clock.Now().Add(dialogTimeout)})
		return bot.Message{Text: askFor(p, f), Language: p.Language()}, nil
	}
	if err := checkEvent(e, svc.clock.Now()); err != nil {
		// Ask for the field again; the rest of the form stays.
		if f, ok := findEventField(bot.ErrorField(err)); ok {
			kept := fields[:0:0]
			for _, g := range fields {
				if h, _ := findEventField(g.Key); h.key != f.key {
					kept = append(kept, g)
				}
			}
			svc.setDialog(from, &eventDialog{fields: kept, asking: f, expires: svc.clock.Now().Add(dialogTimeout)})
			return bot.Message{Text: bot.ErrorText(p, err) + "\n" + askFor(p, f), Language: p.Language()}, nil
		}
		return bot.Message{}, err
	}
	svc.setDialog(from, nil)
	return svc.saveDraft(ctx, p, from, e)
}

// Continue takes a line as the answer to the event form's question,
// if the person has a form in progress: every line is, whatever word it
// starts with ("Home care consultation" is a title), except "help", an
// "event …" command, and "cancel" (or "leave"), which drops the form. A line
// that reads as another command ("profiles", "search energie") is held
// while the form asks whether to leave it, or with "answer" to take the
// line as the answer. "event end=16:00" is an answer too, as fields: the
// way chats without free text (a Discord slash command) send it.
func (svc *Service) Continue(ctx context.Context, c bot.Command) (bot.Message, bool) {
	text := strings.TrimSpace(c.Text)
	name, rest := bot.SplitCommand(text)
	switch pairs, err := parseFields(rest); {
	case name == "event" && err == nil && knownFields(pairs):
		text = rest
	case name == "event" || name == "help":
		return bot.Message{}, false
	}
	// Taken, not read: of two answers at once, one fills the form and the
	// other is a line like any other.
	d := svc.takeDialog(c.From)
	if d == nil {
		return bot.Message{}, false
	}
	p := c.Printer()
	if strings.EqualFold(text, "cancel") || strings.EqualFold(text, "leave") {
		return bot.Message{Text: p.Sprintf("Event form cancelled; nothing was saved."), Language: p.Language()}, true
	}
	switch held := d.command; {
	case held != "" && strings.EqualFold(text, "answer"):
		text = held
	case isCommandLine(text):
		d.command = text
		svc.setDialog(c.From, d)
		return bot.Message{Text: p.Sprintf("`%s` is a command, and the event form is waiting for: %s\nReply `leave` to leave the form (nothing is saved; then send the command again), or `answer` to take the line as the answer.", text, d.asking.question(p)), Language: p.Language()}, true
	}
	d.command = ""
	answer := []field{{Key: d.asking.key, Value: text}}
	if pairs, err := parseFields(text); err == nil && knownFields(pairs) {
		answer = pairs
	}
	fields := append(append([]field(nil), d.fields...), answer...)
	reply, err := svc.fillEventForm(ctx, p, c.From, fields)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			svc.log.Error("event form failed", "subscriber", c.From.Key(), "err", err)
		}
		svc.setDialog(c.From, d) // the question stands
		return bot.Message{Text: bot.ErrorText(p, err) + "\n" + askFor(p, d.asking), Language: p.Language()}, true
	}
	return reply, true
}

// isCommandLine reports whether line reads as one of the bot's commands: its
// first word is a command's, and the command takes what follows (a word
// of a command without options, as in "Home care day", starts a title).
func isCommandLine(line string) bool {
	name, rest := bot.SplitCommand(line)
	for _, c := range bot.Commands() {
		if word, _, _ := strings.Cut(c.Line, " "); word == name {
			return rest == "" || len(c.Options) > 0
		}
	}
	return false
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
func (svc *Service) takeDialog(s bot.Subscriber) *eventDialog {
	svc.mu.Lock()
	defer svc.mu.Unlock()
	d := svc.dialogs[s]
	delete(svc.dialogs, s)
	if d != nil && svc.clock.Now().After(d.expires) {
		return nil
	}
	return d
}

// setDialog remembers the person's form in progress; nil forgets it.
func (svc *Service) setDialog(s bot.Subscriber, d *eventDialog) {
	svc.mu.Lock()
	defer svc.mu.Unlock()
	if d == nil {
		delete(svc.dialogs, s)
		return
	}
	svc.dialogs[s] = d
}

// saveDraft stores a complete event as a draft and shows who it would
// reach, with the button that publishes it, in p's language.
func (svc *Service) saveDraft(ctx context.Context, p text.Printer, from bot.Subscriber, e bot.Event) (bot.Message, error) {
	if err := svc.rights.Require(ctx, from, bot.RoleStaff, text.N("post events")); err != nil {
		return bot.Message{}, err // the role may have gone while the form was filled in
	}
	actors, err := svc.store.AuditActors(ctx, []bot.Subscriber{from})
	if err != nil {
		return bot.Message{}, fmt.Errorf("event new: %w", err)
	}
	now := svc.clock.Now()
	saved, err := svc.store.ChangeEvent(ctx, 0, func(st bot.EventState) (bot.EventChange, error) {
		e.ID, e.Status, e.Organizer, e.CreatedAt, e.UpdatedAt = st.Event.ID, bot.EventDraft, from, now, now
		trail := newAuditTrail(st, now)
		if err := trail.add("create", actors[from], eventRecord(e)); err != nil {
			return bot.EventChange{}, err
		}
		return bot.EventChange{Event: &e, Audit: trail.entries}, nil
	})
	if err != nil {
		return bot.Message{}, fmt.Errorf("event new: %w", err)
	}
	svc.log.Info("event drafted", "event", saved.ID, "by", from.Key())
	r, err := svc.reach(ctx, saved)
	if err != nil {
		return bot.Message{}, err
	}
	text := p.Sprintf("Draft saved as event %d:\n%s\n\n%s\n\nPublish it with `event publish %d` (it goes on the public page first, then the invites go out); change it with `event update %d key=value`.",
		saved.ID, svc.eventSummary(p, saved), r.text(p, svc), saved.ID, saved.ID)
	return bot.Message{Text: text, Actions: []bot.Action{{Kind: bot.ActionPublish, EventID: saved.ID}}, Language: p.Language()}, nil
}

// askFor is the question for a missing field, with the ways to answer, in
// p's language.
func askFor(p text.Printer, f eventField) string {
	return p.Sprintf("%s (reply with the answer, or `event %s=…`; `cancel` drops the form)", f.question(p), f.key)
}

// question is what the form asks for the field, in p's language.
func (f eventField) question(p text.Printer) string {
	if f.key == "kind" {
		return p.Sprintf(f.prompt, eventKindChoices(p))
	}
	return p.Text(f.prompt)
}
