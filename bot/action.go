package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/tenderbot/tenderbot/bot/text"
)

// ActionKind is what a button on a notice card does.
type ActionKind string

// The buttons a card offers.
const (
	ActionFollow      ActionKind = "follow"       // hear about the tender's changes, award and deadline
	ActionNotRelevant ActionKind = "not_relevant" // the match was wrong: feedback for the profile
	ActionMuteBuyer   ActionKind = "mute_buyer"   // never alert this profile about this buyer again
)

// The buttons of an engagement event.
const (
	ActionGoing   ActionKind = "going"   // register: going (or the waitlist when full)
	ActionMaybe   ActionKind = "maybe"   // register: maybe
	ActionCantGo  ActionKind = "cant_go" // register: can't go
	ActionPublish ActionKind = "publish" // staff: publish a draft event
	ActionAsk     ActionKind = "ask"     // ask a question; chats with forms open one
)

// eventAction reports whether the button is about an event.
func (k ActionKind) eventAction() bool {
	return k == ActionGoing || k == ActionMaybe || k == ActionCantGo || k == ActionPublish || k == ActionAsk
}

// Label is the button text, said with Printer.Text.
func (k ActionKind) Label() string { return labelOf(actionLabels, k) }

// actionLabels are the buttons' texts, by what they do.
var actionLabels = map[ActionKind]string{
	ActionFollow:      text.N("Follow"),
	ActionNotRelevant: text.N("Not relevant"),
	ActionMuteBuyer:   text.N("Mute buyer"),
	ActionForget:      text.N("Erase my data"),
	ActionGoing:       text.N("Going"),
	ActionMaybe:       text.N("Maybe"),
	ActionCantGo:      text.N("Can't go"),
	ActionPublish:     text.N("Publish"),
	ActionAsk:         text.N("Ask a question"),
}

// labelOf is k's label in labels, said with Printer.Text, or k itself.
func labelOf[K ~string](labels map[K]string, k K) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}

// Action is a click on a button: on a card, what, for which profile (0
// when the card came from a search), about which notice; on an event's
// message, what about which event.
type Action struct {
	Kind      ActionKind
	ProfileID int64
	NoticeRef string
	EventID   int64
}

// eventMark stands in the place of a notice ref in an event's action id.
const eventMark = "event"

// actionPrefix marks an action id as tenderbot's.
const actionPrefix = "tb1"

// String encodes the action as a compact id (at most 64 characters of
// [a-z0-9_:]), fit for a Slack action_id or a Discord custom_id.
func (a Action) String() string {
	if a.Kind.eventAction() {
		return fmt.Sprintf("%s:%s:%d:%s", actionPrefix, a.Kind, a.EventID, eventMark)
	}
	return fmt.Sprintf("%s:%s:%d:%s", actionPrefix, a.Kind, a.ProfileID, a.NoticeRef)
}

// ParseAction decodes an id made by Action.String.
func ParseAction(s string) (Action, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 || parts[0] != actionPrefix {
		return Action{}, Errorf(EINVALID, "That button is not one of mine.")
	}
	a := Action{Kind: ActionKind(parts[1]), NoticeRef: parts[3]}
	if a.Kind.eventAction() {
		id, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil || id <= 0 || parts[3] != eventMark {
			return Action{}, Errorf(EINVALID, "That button is damaged; use the buttons on a newer message.")
		}
		return Action{Kind: a.Kind, EventID: id}, nil
	}
	switch a.Kind {
	case ActionFollow, ActionNotRelevant, ActionMuteBuyer, ActionForget:
	default:
		return Action{}, Errorf(EINVALID, "That button does something I no longer know.")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id < 0 || !IsNoticeRef(a.NoticeRef) {
		return Action{}, Errorf(EINVALID, "That button is damaged; use the buttons on a newer message.")
	}
	a.ProfileID = id
	return a, nil
}

// NoticeRefLength is the length of a notice reference: 64 bits of a hash of
// its id, as hex — short enough for any button id, and unique in practice.
const NoticeRefLength = 16

// NoticeRef is the short reference to a notice that buttons carry.
func NoticeRef(noticeID string) string {
	if last := lastNoticeRef.Load(); last != nil && last.id == noticeID {
		return last.ref
	}
	sum := sha256.Sum256([]byte(noticeID))
	ref := hex.EncodeToString(sum[:NoticeRefLength/2])
	lastNoticeRef.Store(&noticeRefOf{noticeID, ref})
	return ref
}

// noticeRefOf is a notice's id and its reference.
type noticeRefOf struct{ id, ref string }

// lastNoticeRef is the reference NoticeRef made last: the buttons of
// every recipient of a fan-out carry the same one.
var lastNoticeRef atomic.Pointer[noticeRefOf]

// refKey is the cluster key under which a notice is found by its reference.
func refKey(ref string) string { return "ref:" + ref }

// IsNoticeRef reports whether s has the form of a notice reference, in
// lower case.
func IsNoticeRef(s string) bool { return len(s) == NoticeRefLength && isHex(s) }

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// cardActions are the buttons for a card: Follow always; Not relevant and
// Mute buyer when the card came from a profile.
func cardActions(noticeID string, profileID int64) []Action {
	kinds := cardActionKinds(profileID)
	ref := NoticeRef(noticeID)
	actions := make([]Action, len(kinds))
	for i, k := range kinds {
		actions[i] = Action{Kind: k, ProfileID: profileID, NoticeRef: ref}
	}
	return actions
}

// The kinds of cardActions' buttons, in order, on a card from a profile
// and on one from none.
var (
	profileCardActionKinds = []ActionKind{ActionFollow, ActionNotRelevant, ActionMuteBuyer}
	plainCardActionKinds   = []ActionKind{ActionFollow}
)

// cardActionKinds are the kinds of cardActions' buttons, in order.
func cardActionKinds(profileID int64) []ActionKind {
	if profileID == 0 {
		return plainCardActionKinds
	}
	return profileCardActionKinds
}

// AreCardActions reports whether actions are the buttons a card of
// noticeID has For profileID, without making them.
func AreCardActions(actions []Action, noticeID string, profileID int64) bool {
	kinds := cardActionKinds(profileID)
	if len(actions) != len(kinds) {
		return false
	}
	ref := NoticeRef(noticeID)
	for i, k := range kinds {
		if actions[i] != (Action{Kind: k, ProfileID: profileID, NoticeRef: ref}) {
			return false
		}
	}
	return true
}

// Click is a press of a button on one of the bot's messages.
type Click struct {
	From   Subscriber // who pressed it
	Action Action     // the button, as its id says
	// ChannelManager is what the platform says of From in the channel the
	// message is in, as in a Command: muting a buyer on a channel's alert
	// changes the channel's profile.
	ChannelManager bool
	// Locale is the language the chat reports for From, as in a Command;
	// "" when it reports none.
	Locale string
}

// HandleAction answers a click on a card's button.
// The answer is in the presser's language.
func (b *Bot) HandleAction(ctx context.Context, c Click) Message {
	pr := text.For(b.commandLanguage(ctx, Command{From: c.From, Locale: c.Locale}))
	reply, err := b.handleAction(ctx, pr, c)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("action failed", "action", c.Action.String(), "subscriber", c.From.Key(), "err", err)
		}
		return Message{Text: ErrorText(pr, err), Language: pr.Language()}
	}
	if reply.Language == "" {
		reply.Language = pr.Language()
	}
	return reply
}

func (b *Bot) handleAction(ctx context.Context, pr text.Printer, c Click) (Message, error) {
	from, a := c.From, c.Action
	if err := from.Validate(); err != nil {
		return Message{}, err
	}
	if a.Kind == ActionForget {
		return b.forget(ctx, pr, from)
	}
	if a.Kind.eventAction() {
		return b.withEvents(func(e Engagement) (Message, error) { return e.Act(ctx, from, a) })
	}
	n, found, err := b.store.FindNotice(ctx, []string{refKey(a.NoticeRef)})
	if err != nil {
		return Message{}, fmt.Errorf("find notice %s: %w", a.NoticeRef, err)
	}
	if !found {
		return Message{}, Errorf(ENOTFOUND, "I no longer have that notice.")
	}
	var p Profile
	if a.Kind != ActionFollow {
		if p, err = b.ownProfile(ctx, from, a.ProfileID); err != nil {
			return Message{}, err
		}
	}
	if a.Kind == ActionMuteBuyer {
		if err := b.mayChange(ctx, Command{From: from, ChannelManager: c.ChannelManager}, p); err != nil {
			return Message{}, err
		}
	}
	now := b.clock.Now()
	if err := b.store.RecordAction(ctx, from, a, n.ID, now); err != nil {
		return Message{}, fmt.Errorf("record action: %w", err)
	}
	switch a.Kind {
	case ActionFollow:
		replyTo, err := b.store.SentMessageID(ctx, AlertKey(from, n.ID))
		if err != nil {
			return Message{}, fmt.Errorf("follow: %w", err)
		}
		reminders := b.reminders(pr, from, n, replyTo)
		added, err := b.store.Follow(ctx, from, n.ID, now, reminders)
		if err != nil {
			return Message{}, fmt.Errorf("follow: %w", err)
		}
		switch {
		case !added:
			return Message{Text: pr.Sprintf("You already follow %q.", n.Title)}, nil
		case len(reminders) > 0:
			return Message{Text: pr.Sprintf("You follow %q now: changes to it and its award come to you here, and a reminder before it closes. `home` lists what you follow.", n.Title)}, nil
		}
		return Message{Text: pr.Sprintf("You follow %q now: changes to it and its award come to you here. `home` lists what you follow.", n.Title)}, nil
	case ActionNotRelevant:
		return b.notRelevant(ctx, pr, p, n)
	default: // ActionMuteBuyer
		buyer := foldKey(n.Buyer)
		if buyer == "" {
			return Message{}, Errorf(EINVALID, "That notice names no buyer, so there is nobody to mute.")
		}
		if err := b.store.MuteBuyer(ctx, p.ID, buyer, now); err != nil {
			return Message{}, fmt.Errorf("mute buyer: %w", err)
		}
		return Message{Text: pr.Sprintf("Muted %s for your profile %q: its notices will not alert you through this profile again.", n.Buyer, p.Name)}, nil
	}
}

// ownProfile returns the profile if from may act on it: their own, or one
// of a channel in their workspace (everyone in a channel sees its alerts).
func (b *Bot) ownProfile(ctx context.Context, from Subscriber, id int64) (Profile, error) {
	profiles, err := b.store.ProfilesByID(ctx, []int64{id})
	if err != nil {
		return Profile{}, fmt.Errorf("profile %d: %w", id, err)
	}
	if len(profiles) == 1 {
		p := profiles[0]
		s := p.Subscriber
		if s == from || (s.Channel != "" && s.Platform == from.Platform && s.Workspace == from.Workspace) {
			return p, nil
		}
	}
	return Profile{}, Errorf(ENOTFOUND, "That profile is gone or not yours.")
}

// follow is the command form of the Follow button.
func (b *Bot) follow(ctx context.Context, c Command, args string) (Message, error) {
	ref := strings.ToLower(strings.TrimSpace(args))
	if ref == "" {
		return Message{}, Errorf(EINVALID, "Which tender? Give the ref shown on its notice, e.g. `follow 3f2a9c0d1e4b5a6f`.")
	}
	if !IsNoticeRef(ref) {
		return Message{}, Errorf(EINVALID, "%q is not a notice ref; a ref has %d letters and digits, as shown on each notice.", ref, NoticeRefLength)
	}
	return b.handleAction(ctx, c.Printer(), Click{From: c.From, Action: Action{Kind: ActionFollow, NoticeRef: ref}})
}
