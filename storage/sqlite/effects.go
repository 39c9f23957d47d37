package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// applyEffects writes what storing notice noticeID causes, inside tx, and
// returns the alerts it wrote, for the store to remember once tx commits.
func applyEffects(ctx context.Context, tx *sql.Tx, bulk *bulkStatements, noticeID string, fx bot.Effects, now time.Time) ([]madeAlert, error) {
	for _, prefix := range fx.Cancel {
		if err := cancelPending(ctx, tx, prefix); err != nil {
			return nil, err
		}
	}
	for _, sub := range fx.Unfollow {
		const q = `DELETE FROM follows WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ? AND notice_id = ?`
		if _, err := tx.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, noticeID); err != nil {
			return nil, fmt.Errorf("unfollow: %w", err)
		}
	}
	f := newFanOut(ctx, tx, fx.Card, now)
	f.notice, f.chunk, f.bulk = noticeID, fx.Chunk, bulk
	defer f.close()
	for r, err := range effectRows(fx, f.madeAt()) {
		if err != nil {
			return nil, err
		}
		if err := f.write(r); err != nil {
			return nil, err
		}
	}
	return f.finish()
}

// effectRows yields the rows of fx's deliveries, in key order, then of its
// digest items, made at now, or the first error making one: those
// EncodeEffects made, if it did.
func effectRows(fx bot.Effects, now madeAt) iter.Seq2[fanOutRow, error] {
	return func(yield func(fanOutRow, error) bool) {
		if made, ok := fx.Encoded.(encodedEffects); ok {
			for _, r := range made {
				if !yield(r, nil) {
					return
				}
			}
			return
		}
		order := codec.KeyOrder(fx.Deliveries)
		for _, i := range order {
			r, err := encodeDelivery(fx.Deliveries[i], fx.Card, now)
			if !yield(r, err) || err != nil {
				return
			}
		}
		for _, it := range fx.Held {
			r, err := encodeItem(it, fx.Card, now)
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// encodedEffects are the rows EncodeEffects made.
type encodedEffects []fanOutRow

// EncodeEffects makes the rows of fx's deliveries and digest items as
// SaveNotice writes them: Ingest has it done while it plans a notice, off
// the goroutine that writes. The rows are dated by the store's clock as
// they are made, a moment before the transaction that writes them (which
// dates its notice by its own reading of the clock).
func (s *Store) EncodeEffects(fx bot.Effects) (any, error) {
	at := s.now()
	made := make(encodedEffects, 0, len(fx.Deliveries)+len(fx.Held))
	for r, err := range effectRows(bot.Effects{Card: fx.Card, Deliveries: fx.Deliveries, Held: fx.Held}, madeAt{at, formatTime(at)}) {
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		made = append(made, r)
	}
	return made, nil
}

// cancelPending cancels the pending deliveries whose key starts with prefix.
func cancelPending(ctx context.Context, q querier, prefix string) error {
	// substr, not LIKE: a key may hold % and _. SQLite counts characters,
	// so the prefix's length is its own, not Go's count of bytes.
	const stmt = `UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND substr(key, 1, length(?1)) = ?1`
	if _, err := q.ExecContext(ctx, stmt, prefix); err != nil {
		return fmt.Errorf("cancel %s: %w", prefix, err)
	}
	return nil
}

// CancelPending cancels the pending deliveries whose key starts with prefix.
func (s *Store) CancelPending(ctx context.Context, prefix string) error {
	if err := cancelPending(ctx, s.writer, prefix); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// DigestItems returns the held items of the mode created before t, grouped
// by subscriber, oldest first.
func (s *Store) DigestItems(ctx context.Context, mode bot.DeliveryMode, before time.Time) ([]bot.DigestItem, error) {
	return s.queryDigestItems(ctx, `mode = ? AND created_at < ?`, mode, formatTime(before))
}

// queryDigestItems returns the held items that match where, grouped by
// subscriber, oldest first.
func (s *Store) queryDigestItems(ctx context.Context, where string, args ...any) ([]bot.DigestItem, error) {
	q := `
		SELECT id, platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, card_id,
			(SELECT body FROM cards WHERE cards.id = card_id), overflow, created_at
		FROM digest_items
		WHERE ` + where + `
		ORDER BY platform, workspace, user_id, channel_id, id`
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: digest items: %w", err)
	}
	defer rows.Close()
	var items []bot.DigestItem
	cards := cardCache{}
	for rows.Next() {
		var it bot.DigestItem
		var card, created string
		var cardID sql.NullInt64
		var body sql.NullString
		if err := rows.Scan(&it.ID, &it.To.Platform, &it.To.Workspace, &it.To.User, &it.To.Channel,
			&it.Mode, &it.ProfileID, &it.NoticeID, &card, &cardID, &body, &it.Overflow, &created); err != nil {
			return nil, fmt.Errorf("sqlite: digest items: %w", err)
		}
		it.Card, err = cards.digestCard(card, cardID, body, it.ProfileID)
		if err != nil {
			return nil, fmt.Errorf("sqlite: digest item %d: card: %w", it.ID, err)
		}
		if it.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("sqlite: digest item %d: %w", it.ID, err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: digest items: %w", err)
	}
	return items, nil
}

// CommitDigests enqueues each digest's delivery and deletes the items it
// carries, in one transaction with statements prepared once. A digest
// whose cards are all its items' stored cards references them
// (codec.DigestPart) instead of storing them again.
func (s *Store) CommitDigests(ctx context.Context, digests []bot.DigestCommit) error {
	var ids []int64
	for _, dg := range digests {
		ids = append(ids, dg.ItemIDs...)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("sqlite: commit %d digests: %w", len(digests), err)
	}
	err = write(ctx, s.writer, func(tx *sql.Tx) error {
		held, cards, err := heldCards(ctx, tx, string(list))
		if err != nil {
			return err
		}
		f := newFanOut(ctx, tx, nil, s.now())
		f.bulk = s.bulk
		defer f.close()
		for _, dg := range digests {
			if err := commitDigest(f, dg, held, cards); err != nil {
				return err
			}
		}
		if _, err := f.finish(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM digest_items WHERE id IN (SELECT value FROM json_each(?))`, string(list))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: commit %d digests: %w", len(digests), err)
	}
	return nil
}

// commitDigest enqueues dg's delivery, referencing its items' stored
// cards where it can.
func commitDigest(f *fanOut, dg bot.DigestCommit, held map[int64]codec.HeldCard, cards codec.Cards) error {
	mine := make(map[string]codec.HeldCard, len(dg.ItemIDs))
	for _, id := range dg.ItemIDs {
		if h, ok := held[id]; ok {
			mine[h.NoticeID] = h
		}
	}
	part, ok := cards.DigestPartOf(dg.Delivery.Message, mine)
	if !ok {
		return f.enqueue(dg.Delivery)
	}
	msg, err := codec.EncodeDigestPart(part)
	if err != nil {
		return fmt.Errorf("enqueue %s: message: %w", dg.Delivery.Key, err)
	}
	return f.add(dg.Delivery, msg)
}

// heldCards reads what the digest items ids (a JSON array) say of their
// cards, by item id, and the bodies of the stored cards they reference.
func heldCards(ctx context.Context, tx *sql.Tx, ids string) (map[int64]codec.HeldCard, codec.Cards, error) {
	const q = `
		SELECT d.id, d.notice_id, d.profile_id, COALESCE(d.card_id, 0) FROM digest_items AS d
		WHERE d.id IN (SELECT value FROM json_each(?))`
	rows, err := tx.QueryContext(ctx, q, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("digest items: %w", err)
	}
	defer rows.Close()
	held := map[int64]codec.HeldCard{}
	var refs []int64
	for rows.Next() {
		var id int64
		var h codec.HeldCard
		if err := rows.Scan(&id, &h.NoticeID, &h.ProfileID, &h.Card); err != nil {
			return nil, nil, fmt.Errorf("digest items: %w", err)
		}
		held[id] = h
		if h.Card != 0 && !slices.Contains(refs, h.Card) {
			refs = append(refs, h.Card)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("digest items: %w", err)
	}
	cards := codec.Cards{}
	if len(refs) == 0 {
		return held, cards, nil
	}
	list, err := json.Marshal(refs)
	if err != nil {
		return nil, nil, err
	}
	var pairs string
	const bodies = `SELECT json_group_array(json_array(id, json(body))) FROM cards WHERE id IN (SELECT value FROM json_each(?))`
	if err := tx.QueryRowContext(ctx, bodies, string(list)).Scan(&pairs); err != nil {
		return nil, nil, fmt.Errorf("cards: %w", err)
	}
	return held, cards, cards.AddBodies(pairs)
}

// CountsSince counts, for each of subs, the deliveries with the purpose
// made for them since t: alerts of the last hours from what the store
// remembers (recent.go), anything else with one query.
func (s *Store) CountsSince(ctx context.Context, subs []bot.Subscriber, purpose bot.Purpose, since time.Time) (map[bot.Subscriber]int, error) {
	if purpose == bot.PurposeAlert {
		if counts, ok := s.recent.counts(subs, since, s.now()); ok {
			return counts, nil
		}
	}
	list, err := subscriberList(subs)
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	const q = `
		SELECT o.platform, o.workspace, o.user_id, o.channel_id, COUNT(*)
		FROM json_each(?) AS s
		JOIN outbox AS o ON o.platform = s.value ->> 0 AND o.workspace = s.value ->> 1
			AND o.user_id = s.value ->> 2 AND o.channel_id = s.value ->> 3
		WHERE o.purpose = ? AND o.created_at >= ?
		GROUP BY o.platform, o.workspace, o.user_id, o.channel_id`
	rows, err := s.reader.QueryContext(ctx, q, list, purpose, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("sqlite: count deliveries: %w", err)
	}
	defer rows.Close()
	counts := map[bot.Subscriber]int{}
	for rows.Next() {
		var sub bot.Subscriber
		var n int
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel, &n); err != nil {
			return nil, fmt.Errorf("sqlite: count deliveries: %w", err)
		}
		counts[sub] = n
	}
	return counts, rows.Err()
}

// subscriberList is subs as a JSON array of [platform, workspace, user,
// channel] arrays, for json_each: one parameter however many there are.
func subscriberList(subs []bot.Subscriber) (string, error) {
	list := make([][4]string, len(subs))
	for i, sub := range subs {
		list[i] = [4]string{string(sub.Platform), sub.Workspace, sub.User, sub.Channel}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("sqlite: subscribers: %w", err)
	}
	return string(b), nil
}

// SentMessageID returns the platform's id of the sent delivery with the key,
// "" when there is none.
func (s *Store) SentMessageID(ctx context.Context, key string) (string, error) {
	var id sql.NullString
	err := s.reader.QueryRowContext(ctx, `SELECT platform_message_id FROM outbox WHERE key = ? AND status = 'sent'`, key).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("sqlite: sent message id of %s: %w", key, err)
	}
	return id.String, nil
}

// Failed returns up to limit deliveries that failed for good, newest first;
// to sub only, unless sub is the zero Subscriber.
func (s *Store) Failed(ctx context.Context, sub bot.Subscriber, limit int) ([]bot.Delivery, error) {
	q := `SELECT ` + deliveryColumns + ` FROM outbox WHERE status = 'failed'`
	var args []any
	if sub != (bot.Subscriber{}) {
		q += ` AND platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?`
		args = append(args, sub.Platform, sub.Workspace, sub.User, sub.Channel)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := s.reader.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: failed deliveries: %w", err)
	}
	defer rows.Close()
	cards := cardCache{}
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, cards)
		if err != nil {
			return nil, fmt.Errorf("sqlite: failed deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// Settings returns sub's settings; the zero Settings when none are stored.
func (s *Store) Settings(ctx context.Context, sub bot.Subscriber) (bot.Settings, error) {
	const q = `
		SELECT quiet_start, quiet_end, language, locale FROM subscriber_settings
		WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?`
	var start, end sql.NullInt64
	var language, locale string
	err := s.reader.QueryRowContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel).Scan(&start, &end, &language, &locale)
	if err == sql.ErrNoRows {
		return bot.Settings{}, nil
	}
	if err != nil {
		return bot.Settings{}, fmt.Errorf("sqlite: settings of %s: %w", sub.Key(), err)
	}
	return settingsOf(start, end, language, locale), nil
}

// SettingsOf returns the stored settings of each of subs, from what the
// store remembers (recipients.go), read whole the first time.
func (s *Store) SettingsOf(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]bot.Settings, error) {
	out := map[bot.Subscriber]bot.Settings{}
	if len(subs) == 0 || s.facts.settingsOf(subs, out) {
		return out, nil
	}
	gen := s.facts.begin()
	all, err := s.allSettings(ctx)
	if err != nil {
		return nil, err
	}
	s.facts.setSettings(gen, all)
	for _, sub := range subs {
		if settings, ok := all[sub]; ok {
			out[sub] = settings
		}
	}
	return out, nil
}

// allSettings reads every subscriber's stored settings.
func (s *Store) allSettings(ctx context.Context) (map[bot.Subscriber]bot.Settings, error) {
	const q = `SELECT platform, workspace, user_id, channel_id, quiet_start, quiet_end, language, locale FROM subscriber_settings`
	rows, err := s.reader.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: settings: %w", err)
	}
	defer rows.Close()
	out := map[bot.Subscriber]bot.Settings{}
	for rows.Next() {
		var sub bot.Subscriber
		var start, end sql.NullInt64
		var language, locale string
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel, &start, &end, &language, &locale); err != nil {
			return nil, fmt.Errorf("sqlite: settings: %w", err)
		}
		out[sub] = settingsOf(start, end, language, locale)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: settings: %w", err)
	}
	return out, nil
}

// settingsOf reads the settings columns.
func settingsOf(start, end sql.NullInt64, language, locale string) bot.Settings {
	settings := bot.Settings{Language: text.Language(language), Locale: locale}
	if start.Valid && end.Valid {
		settings.Quiet = &bot.QuietHours{Start: time.Duration(start.Int64) * time.Minute, End: time.Duration(end.Int64) * time.Minute}
	}
	return settings
}

// SaveSettings stores sub's settings.
func (s *Store) SaveSettings(ctx context.Context, sub bot.Subscriber, settings bot.Settings) error {
	var start, end any
	if q := settings.Quiet; q != nil {
		start, end = int64(q.Start/time.Minute), int64(q.End/time.Minute)
	}
	const q = `
		INSERT INTO subscriber_settings (platform, workspace, user_id, channel_id, quiet_start, quiet_end, language, locale)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
			language = excluded.language, locale = excluded.locale`
	if _, err := s.writer.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, start, end, string(settings.Language), settings.Locale); err != nil {
		return fmt.Errorf("sqlite: save settings of %s: %w", sub.Key(), err)
	}
	s.facts.saved(sub, settings)
	return nil
}

// Followers returns who follows a notice.
func (s *Store) Followers(ctx context.Context, noticeID string) ([]bot.Subscriber, error) {
	const q = `SELECT platform, workspace, user_id, channel_id FROM follows WHERE notice_id = ? ORDER BY created_at`
	rows, err := s.reader.QueryContext(ctx, q, noticeID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: followers of %s: %w", noticeID, err)
	}
	defer rows.Close()
	var subs []bot.Subscriber
	for rows.Next() {
		var sub bot.Subscriber
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel); err != nil {
			return nil, fmt.Errorf("sqlite: followers of %s: %w", noticeID, err)
		}
		subs = append(subs, sub)
	}
	return subs, rows.Err()
}

// SetDelivery changes how a profile's matches are delivered, or returns
// ENOTFOUND.
func (s *Store) SetDelivery(ctx context.Context, id int64, mode bot.DeliveryMode) error {
	defer s.facts.forgetProfile(id, false)
	res, err := s.writer.ExecContext(ctx, `UPDATE profiles SET delivery = ? WHERE id = ?`, mode, id)
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		return fmt.Errorf("sqlite: set delivery of profile %d: %w", id, translate(err, text.N("there is no profile %d"), id))
	}
	return nil
}
