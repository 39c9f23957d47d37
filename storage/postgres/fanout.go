package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// insertDeliveries adds pending deliveries from parallel arrays, one
// statement for a whole fan-out; only a duplicate key is skipped. Rows go
// in in the arrays' order, so their ids follow it.
const insertDeliveries = `
	INSERT INTO outbox (key, platform, workspace, user_id, channel_id, purpose, notice_id,
		profile_id, message, card_id, status, attempts, due_at, created_at)
	SELECT key, platform, workspace, user_id, channel_id, purpose, notice_id,
		profile_id, message, card_id, 'pending', 0, due_at, $12
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		$8::bigint[], $9::text[], $10::bigint[], $11::bigint[])
		WITH ORDINALITY AS d (key, platform, workspace, user_id, channel_id, purpose, notice_id,
			profile_id, message, card_id, due_at, i)
	ORDER BY i
	ON CONFLICT (key) DO NOTHING`

// insertDigestItems adds digest items from parallel arrays; an item the
// subscriber holds already for the notice is skipped.
const insertDigestItems = `
	INSERT INTO digest_items (platform, workspace, user_id, channel_id, mode, profile_id, notice_id,
		card, card_id, overflow, created_at)
	SELECT platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, card_id, overflow, $11
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
		$8::text[], $9::bigint[], $10::boolean[])
		WITH ORDINALITY AS it (platform, workspace, user_id, channel_id, mode, profile_id, notice_id,
			card, card_id, overflow, i)
	ORDER BY i
	ON CONFLICT DO NOTHING`

// fanOut gathers the deliveries and digest items of one transaction and
// writes each kind with one statement; the notice's shared card, if any,
// is stored once, the first time a row references it.
type fanOut struct {
	ctx    context.Context
	tx     pgx.Tx
	now    time.Time
	shared *bot.Card
	cardID *int64 // nil: the shared card is not stored yet

	deliveries pendingDeliveries
	items      pendingItems
}

// pendingDeliveries are the outbox rows to insert, column by column.
type pendingDeliveries struct {
	Keys       []string `json:"k"`
	Platforms  []string `json:"p"`
	Workspaces []string `json:"w"`
	Users      []string `json:"u"`
	Channels   []string `json:"c"`
	Purposes   []string `json:"o"`
	Notices    []string `json:"n"`
	Messages   []string `json:"m"`
	Profiles   []int64  `json:"f"`
	Cards      []*int64 `json:"r"`
	Due        []int64  `json:"d"`
}

// slice returns the rows [i, j).
func (d pendingDeliveries) slice(i, j int) pendingDeliveries {
	return pendingDeliveries{d.Keys[i:j], d.Platforms[i:j], d.Workspaces[i:j], d.Users[i:j], d.Channels[i:j],
		d.Purposes[i:j], d.Notices[i:j], d.Messages[i:j], d.Profiles[i:j], d.Cards[i:j], d.Due[i:j]}
}

// pendingItems are the digest items to insert, column by column.
type pendingItems struct {
	Platforms  []string `json:"p"`
	Workspaces []string `json:"w"`
	Users      []string `json:"u"`
	Channels   []string `json:"c"`
	Modes      []string `json:"o"`
	Notices    []string `json:"n"`
	Cards      []string `json:"m"`
	Profiles   []int64  `json:"f"`
	CardIDs    []*int64 `json:"r"`
	Overflow   []bool   `json:"x"`
}

// slice returns the items [i, j).
func (it pendingItems) slice(i, j int) pendingItems {
	return pendingItems{it.Platforms[i:j], it.Workspaces[i:j], it.Users[i:j], it.Channels[i:j], it.Modes[i:j],
		it.Notices[i:j], it.Cards[i:j], it.Profiles[i:j], it.CardIDs[i:j], it.Overflow[i:j]}
}

// newFanOut returns a writer on tx for rows made at now; shared is the
// notice's card that rows may reference, or nil.
func newFanOut(ctx context.Context, tx pgx.Tx, shared *bot.Card, now time.Time) *fanOut {
	return &fanOut{ctx: ctx, tx: tx, now: now, shared: shared}
}

// reference returns m's one card and the id of the stored shared card it
// references, storing that the first time; the id is nil when m is kept
// whole.
func (f *fanOut) reference(m bot.Message, profileID int64) (bot.Card, *int64, error) {
	c, ok := codec.ReferencedCard(m, f.shared, profileID)
	if !ok {
		return bot.Card{}, nil, nil
	}
	if f.cardID == nil {
		body, err := codec.CardBody(*f.shared)
		if err != nil {
			return bot.Card{}, nil, err
		}
		var id int64
		const q = `INSERT INTO cards (notice_id, body, created_at) VALUES ($1, $2, $3) RETURNING id`
		if err := f.tx.QueryRow(f.ctx, q, f.shared.Notice.ID, body, unixNano(f.now)).Scan(&id); err != nil {
			return bot.Card{}, nil, fmt.Errorf("card of %s: %w", f.shared.Notice.ID, err)
		}
		f.cardID = &id
	}
	return c, f.cardID, nil
}

// enqueue adds d to the deliveries to write.
func (f *fanOut) enqueue(d bot.Delivery) error {
	if d.Key == "" {
		return errors.New("delivery has no key")
	}
	c, cardID, err := f.reference(d.Message, d.ProfileID)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", d.Key, err)
	}
	msg, err := codec.EncodeMessage(d.Message, c, cardID != nil)
	if err != nil {
		return fmt.Errorf("enqueue %s: message: %w", d.Key, err)
	}
	due := f.now
	if !d.DueAt.IsZero() {
		due = d.DueAt
	}
	if err := checkTime("due time", due); err != nil {
		return fmt.Errorf("enqueue %s: %w", d.Key, err)
	}
	c0 := &f.deliveries
	c0.Keys = append(c0.Keys, d.Key)
	c0.Platforms = append(c0.Platforms, string(d.To.Platform))
	c0.Workspaces = append(c0.Workspaces, d.To.Workspace)
	c0.Users = append(c0.Users, d.To.User)
	c0.Channels = append(c0.Channels, d.To.Channel)
	c0.Purposes = append(c0.Purposes, string(d.Purpose))
	c0.Notices = append(c0.Notices, d.NoticeID)
	c0.Profiles = append(c0.Profiles, d.ProfileID)
	c0.Messages = append(c0.Messages, msg)
	c0.Cards = append(c0.Cards, cardID)
	c0.Due = append(c0.Due, unixNano(due))
	return nil
}

// hold adds a digest item to the items to write.
func (f *fanOut) hold(it bot.DigestItem) error {
	c, cardID, err := f.reference(bot.Message{Cards: []bot.Card{it.Card}}, it.ProfileID)
	if err != nil {
		return err
	}
	if cardID == nil {
		c = it.Card
	}
	card, err := codec.EncodeDigestCard(c, cardID != nil)
	if err != nil {
		return fmt.Errorf("hold %s for %s: %w", it.NoticeID, it.To.Key(), err)
	}
	c0 := &f.items
	c0.Platforms = append(c0.Platforms, string(it.To.Platform))
	c0.Workspaces = append(c0.Workspaces, it.To.Workspace)
	c0.Users = append(c0.Users, it.To.User)
	c0.Channels = append(c0.Channels, it.To.Channel)
	c0.Modes = append(c0.Modes, string(it.Mode))
	c0.Profiles = append(c0.Profiles, it.ProfileID)
	c0.Notices = append(c0.Notices, it.NoticeID)
	c0.Cards = append(c0.Cards, card)
	c0.CardIDs = append(c0.CardIDs, cardID)
	c0.Overflow = append(c0.Overflow, it.Overflow)
	return nil
}

// flush writes what was gathered, one statement for the deliveries and one
// for the digest items.
func (f *fanOut) flush() error {
	if d := f.deliveries; len(d.Keys) > 0 {
		_, err := f.tx.Exec(f.ctx, insertDeliveries, d.Keys, d.Platforms, d.Workspaces, d.Users, d.Channels,
			d.Purposes, d.Notices, d.Profiles, d.Messages, d.Cards, d.Due, unixNano(f.now))
		if err != nil {
			return fmt.Errorf("enqueue %d deliveries: %w", len(d.Keys), err)
		}
	}
	if it := f.items; len(it.Notices) > 0 {
		_, err := f.tx.Exec(f.ctx, insertDigestItems, it.Platforms, it.Workspaces, it.Users, it.Channels,
			it.Modes, it.Profiles, it.Notices, it.Cards, it.CardIDs, it.Overflow, unixNano(f.now))
		if err != nil {
			return fmt.Errorf("hold %d digest items: %w", len(it.Notices), err)
		}
	}
	f.deliveries, f.items = pendingDeliveries{}, pendingItems{}
	return nil
}

// enqueueAll enqueues each of ds on tx, skipping those whose key exists,
// with one statement. The caller's deliveries are left as they are.
func enqueueAll(ctx context.Context, tx pgx.Tx, ds []bot.Delivery, now time.Time) error {
	f := newFanOut(ctx, tx, nil, now)
	for _, d := range ds {
		if err := f.enqueue(d); err != nil {
			return err
		}
	}
	return f.flush()
}

// applyEffects writes what storing notice noticeID causes, inside tx.
func applyEffects(ctx context.Context, tx pgx.Tx, noticeID string, fx bot.Effects, now time.Time) error {
	for _, prefix := range fx.Cancel {
		if err := cancelPending(ctx, tx, prefix); err != nil {
			return err
		}
	}
	if len(fx.Unfollow) > 0 {
		const q = `
			DELETE FROM follows AS f USING unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (p, w, u, c)
			WHERE f.platform = s.p AND f.workspace = s.w AND f.user_id = s.u AND f.channel_id = s.c
				AND f.notice_id = $5`
		if _, err := tx.Exec(ctx, q, append(subscriberArrays(fx.Unfollow), noticeID)...); err != nil {
			return fmt.Errorf("unfollow: %w", err)
		}
	}
	f := newFanOut(ctx, tx, fx.Card, now)
	for _, i := range codec.KeyOrder(fx.Deliveries) {
		if err := f.enqueue(fx.Deliveries[i]); err != nil {
			return err
		}
	}
	for _, it := range fx.Held {
		if err := f.hold(it); err != nil {
			return err
		}
	}
	if err := f.keep(noticeID, fx.Chunk); err != nil {
		return fmt.Errorf("keep the rest of the fan-out: %w", err)
	}
	return f.flush()
}

// cancelPending cancels the pending deliveries whose key starts with prefix.
func cancelPending(ctx context.Context, q querier, prefix string) error {
	// starts_with, not LIKE: a key may hold % and _.
	const stmt = `UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND starts_with(key, $1)`
	if _, err := q.Exec(ctx, stmt, prefix); err != nil {
		return fmt.Errorf("cancel %s: %w", prefix, err)
	}
	return nil
}
