package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
)

// Send delivers a message from the outbox: to the subscriber's channel, or
// for a person to their DM channel with the bot, as a reply to
// m.ReplyTo when set. It returns the id of the (first) Discord message.
//
// Each Discord message carries a nonce made from the delivery's key with
// enforce_nonce, so Discord itself refuses to post it twice within a few
// minutes. A message too big for one Discord message is sent in parts;
// when a later part fails, the parts already sent are remembered, so the
// outbox's retry sends only the rest.
func (d *Discord) Send(ctx context.Context, to bot.Subscriber, m bot.Message) (string, error) {
	if to.Platform != bot.PlatformDiscord {
		return "", &bot.PermanentError{Err: fmt.Errorf("discord cannot deliver to %s", to.Key())}
	}
	parts := render(m, nil)
	key := deliveryKey(to, m)
	done, firstID := d.sent.get(key, d.now())
	for i := done; i < len(parts); i++ {
		replyTo := ""
		if i == 0 {
			replyTo = m.ReplyTo
		}
		id, err := d.post(ctx, to, parts[i], nonce(m.Key, i), replyTo)
		if err != nil {
			if i > 0 {
				d.sent.put(key, i, firstID, d.now())
			}
			return "", err
		}
		if i == 0 {
			firstID = id
		}
	}
	d.sent.forget(key)
	return firstID, nil
}

// RateLimits are what the outbox keeps to under Discord's published
// limits, 5 messages per 5 seconds in a channel and 50 requests a second
// in all: a tenth slower (5 per 5.5 s, 50 per 1.1 s), so that a send held
// up a moment on its way, which brings it nearer the next, still reaches
// Discord within them.
func (d *Discord) RateLimits() bot.RateLimits {
	return bot.RateLimits{
		PerConversation: bot.Rate{Events: 5, Per: 5500 * time.Millisecond},
		Global:          bot.Rate{Events: 50, Per: 1100 * time.Millisecond},
	}
}

// post sends one rendered message to the subscriber.
func (d *Discord) post(ctx context.Context, to bot.Subscriber, part outgoing, nonce, replyTo string) (string, error) {
	if to.Channel != "" {
		msg, err := d.create(ctx, to.Channel, part, nonce, replyTo)
		if err != nil {
			return "", classify("send to channel "+to.Channel, err)
		}
		return msg.ID, nil
	}
	for attempt := 0; ; attempt++ {
		channel, err := d.dmChannel(ctx, to.User)
		if err != nil {
			return "", err
		}
		msg, err := d.create(ctx, channel, part, nonce, replyTo)
		if err == nil {
			return msg.ID, nil
		}
		// A remembered DM channel that Discord no longer knows is opened
		// afresh, once.
		if restCode(err) == discordgo.ErrCodeUnknownChannel && attempt == 0 {
			d.dms.forget(to.User)
			continue
		}
		return "", classify("send to user "+to.User, err)
	}
}

// messageCreate is the body of Create Message: discordgo's, with the nonce
// it lacks.
type messageCreate struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// create posts a message to a channel, with its file when it has one.
// (discordgo's ChannelMessageSendComplex cannot send a nonce.)
func (d *Discord) create(ctx context.Context, channelID string, part outgoing, nonce, replyTo string) (*discordgo.Message, error) {
	send := &discordgo.MessageSend{Content: part.content, Embeds: part.embeds, Components: part.rows, AllowedMentions: part.allowedMentions()}
	if replyTo != "" {
		keepGoing := false // the alert replied to may be deleted: send anyway
		send.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channelID, FailIfNotExists: &keepGoing}
	}
	body := messageCreate{MessageSend: send, Nonce: nonce, EnforceNonce: nonce != ""}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	var resp []byte
	var err error
	if files := part.files(); len(files) > 0 {
		contentType, payload, merr := discordgo.MultipartBodyWithJSON(body, files)
		if merr != nil {
			return nil, fmt.Errorf("encode message: %w", merr)
		}
		resp, err = d.session.RequestRaw(http.MethodPost, endpoint, contentType, payload, endpoint, 0, discordgo.WithContext(ctx))
	} else {
		resp, err = d.session.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint, discordgo.WithContext(ctx))
	}
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(resp, &m); err != nil {
		return nil, fmt.Errorf("decode message: %w", err)
	}
	return &m, nil
}

// nonce is the nonce of a delivery's i-th Discord message: 25 characters
// at most, as Discord allows; "" without a key.
func nonce(key string, i int) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, i)))
	return hex.EncodeToString(sum[:])[:25]
}

// dmChannel returns the id of the DM channel with a user, opening it the
// first time.
func (d *Discord) dmChannel(ctx context.Context, user string) (string, error) {
	if id, ok := d.dms.get(user); ok {
		return id, nil
	}
	ch, err := d.session.UserChannelCreate(user, discordgo.WithContext(ctx))
	if err != nil {
		return "", classify("open DM channel with user "+user, err)
	}
	d.dms.put(user, ch.ID)
	return ch.ID, nil
}

// deliveryKey identifies a delivery across the outbox's retries: the
// subscriber and the stored message, which does not change between them.
func deliveryKey(to bot.Subscriber, m bot.Message) string {
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(append([]byte(to.Key()+"\x00"), b...))
	return hex.EncodeToString(sum[:])
}

// maxRemembered bounds the small caches below; past it they start afresh,
// which costs a request or, for progress, a repeated part at worst.
const maxRemembered = 10_000

// dmChannels remembers users' DM channel ids, saving a request per alert.
type dmChannels struct {
	mu  sync.Mutex
	ids map[string]string
}

func newDMChannels() *dmChannels { return &dmChannels{ids: map[string]string{}} }

func (c *dmChannels) get(user string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.ids[user]
	return id, ok
}

func (c *dmChannels) put(user, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ids) >= maxRemembered {
		clear(c.ids)
	}
	c.ids[user] = id
}

func (c *dmChannels) forget(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.ids, user)
}

// progressTTL is how long the parts sent of a message are remembered: the
// outbox retries well within it.
const progressTTL = 24 * time.Hour

// progress remembers how many parts of a message were sent before a part
// failed.
type progress struct {
	mu      sync.Mutex
	entries map[string]sentParts
}

type sentParts struct {
	done    int
	firstID string
	at      time.Time
}

func newProgress() *progress { return &progress{entries: map[string]sentParts{}} }

func (p *progress) get(key string, now time.Time) (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.entries[key]
	if !ok || now.Sub(e.at) > progressTTL {
		return 0, ""
	}
	return e.done, e.firstID
}

func (p *progress) put(key string, done int, firstID string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.entries) >= maxRemembered {
		for k, e := range p.entries {
			if now.Sub(e.at) > progressTTL {
				delete(p.entries, k)
			}
		}
		if len(p.entries) >= maxRemembered {
			clear(p.entries)
		}
	}
	p.entries[key] = sentParts{done: done, firstID: firstID, at: now}
}

func (p *progress) forget(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.entries, key)
}
