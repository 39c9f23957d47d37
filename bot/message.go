package bot

import (
	"context"
	"math"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// Message is what the bot says, in platform-neutral form: a text and any
// number of notice cards. Adapters render it (console text, Slack blocks,
// Discord embeds); they add nothing and decide nothing.
type Message struct {
	Text  string `json:"text,omitempty"` // plain text, lines separated by \n
	Cards []Card `json:"cards,omitempty"`
	// Actions are buttons that belong to the message rather than to a
	// card, such as a confirmation.
	Actions []Action `json:"actions,omitempty"`
	// Attachment is a file that comes with the message, such as a data
	// export.
	Attachment *Attachment `json:"attachment,omitempty"`
	// ReplyTo is the platform's id of a message this one follows up, to
	// thread under it (a Slack thread, a Discord reply); "" for none.
	ReplyTo string `json:"reply_to,omitempty"`
	// Mentions are the people and groups the message calls by name, ahead
	// of its text (a channel profile's alert); the adapters let exactly
	// these, and nobody else, be notified.
	Mentions []Mention `json:"mentions,omitempty"`
	// Language is the language the message is written in, for the
	// adapters to label what they add around it (a card's fields, a
	// button) in the same one; "" is English.
	Language text.Language `json:"lang,omitempty"`
	// Key is the delivery's idempotency key, set when the outbox sends the
	// message, for platforms that can refuse or find a duplicate by it.
	Key string `json:"-"`
}

// Printer speaks the message's language.
func (m Message) Printer() text.Printer { return text.For(m.Language) }

// Card presents one notice to one subscriber.
type Card struct {
	Notice  Notice     `json:"notice"`
	CPV     []CodeName `json:"cpv,omitempty"`     // the notice's CPV codes with labels where known
	Regions []CodeName `json:"regions,omitempty"` // the notice's NUTS codes with labels where known
	Profile string     `json:"profile,omitempty"` // the profile that matched, "" for search results
	Reasons []string   `json:"reasons,omitempty"` // why it matched, in plain words
	// Ref is the notice's short reference, and Actions the buttons to
	// offer on the card, in order.
	Ref     string   `json:"ref,omitempty"`
	Actions []Action `json:"actions,omitempty"`
	// Via names the partner's feed that brought the notice ("via Twente
	// Business Desk"); "" for the operator's feeds.
	Via string `json:"via,omitempty"`
	// DaysLeft is the number of whole days from when the card was made to the
	// deadline; meaningless when the notice states no deadline.
	DaysLeft int `json:"days_left,omitempty"`
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// CodeName is a code from a classification (CPV, NUTS) and its label in
// English, "" when the vocabulary does not know it, and in Dutch where that
// differs.
type CodeName struct {
	Code  string `json:"code"`
	Label string `json:"label,omitempty"`
	Dutch string `json:"label_nl,omitempty"`
}

// Messenger sends messages on one chat platform.
type Messenger interface {
	// Send delivers m to a subscriber and returns the platform's id for the
	// message. It returns *RetryAfterError when the platform asks to wait,
	// *PermanentError when the message can never be delivered.
	Send(ctx context.Context, to Subscriber, m Message) (messageID string, err error)
}

// Reconciler is implemented by messengers whose platform can tell whether a
// message was delivered, by the idempotency key it was sent with. After a
// crash between handing a message over and recording it, the outbox asks
// before sending again, so nobody sees it twice.
type Reconciler interface {
	// Find returns the platform's id of the message sent to s with the key;
	// found is false when there is none.
	Find(ctx context.Context, to Subscriber, key string) (messageID string, found bool, err error)
}

// Vocabulary names classification codes for people.
type Vocabulary interface {
	// CPVLabel returns the label of a CPV code in the language (ISO 639-1),
	// falling back to English, or "" when unknown.
	CPVLabel(code, language string) string
	// NUTSLabel returns the label of a NUTS code, or "" when unknown.
	NUTSLabel(code, language string) string
}

// daysLeft counts whole days from now until deadline, rounding down, so a
// deadline that has passed is negative.
func daysLeft(now, deadline time.Time) int {
	return int(math.Floor(deadline.Sub(now).Hours() / 24))
}
