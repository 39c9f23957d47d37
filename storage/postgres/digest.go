package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/internal/codec"
)

// DigestItems returns the held items of the mode created before t, grouped
// by subscriber, oldest first.
func (s *Store) DigestItems(ctx context.Context, mode bot.DeliveryMode, before time.Time) ([]bot.DigestItem, error) {
	return s.queryDigestItems(ctx, `mode = $1 AND created_at < $2`, mode, unixNano(before))
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
	cards := codec.Cards{}
	rows, err := s.pool.Query(ctx, q, args...)
	items, err := collect(rows, err, func(row pgx.Rows) (bot.DigestItem, error) {
		var (
			it      bot.DigestItem
			card    string
			cardID  *int64
			body    *string
			created int64
		)
		if err := row.Scan(&it.ID, &it.To.Platform, &it.To.Workspace, &it.To.User, &it.To.Channel,
			&it.Mode, &it.ProfileID, &it.NoticeID, &card, &cardID, &body, &it.Overflow, &created); err != nil {
			return it, err
		}
		it.CreatedAt = fromNano(created)
		var err error
		if it.Card, err = cards.DigestCard(card, cardID, body, it.ProfileID); err != nil {
			return it, fmt.Errorf("digest item %d: card: %w", it.ID, err)
		}
		return it, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: digest items: %w", err)
	}
	return items, nil
}

// CommitDigests enqueues each digest's delivery and deletes the items it
// carries, in one transaction of two statements.
func (s *Store) CommitDigests(ctx context.Context, digests []bot.DigestCommit) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		f := newFanOut(ctx, tx, nil, s.now())
		var ids []int64
		for _, dg := range digests {
			if err := f.enqueue(dg.Delivery); err != nil {
				return err
			}
			ids = append(ids, dg.ItemIDs...)
		}
		if err := f.flush(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM digest_items WHERE id = ANY($1)`, ids); err != nil {
			return fmt.Errorf("delete %d digest items: %w", len(ids), err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: commit %d digests: %w", len(digests), err)
	}
	return nil
}

// Settings returns sub's settings; the zero Settings when none are stored.
func (s *Store) Settings(ctx context.Context, sub bot.Subscriber) (bot.Settings, error) {
	all, err := s.SettingsOf(ctx, []bot.Subscriber{sub})
	if err != nil {
		return bot.Settings{}, err
	}
	return all[sub], nil
}

// SettingsOf returns the stored settings of each of subs, in one query.
func (s *Store) SettingsOf(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]bot.Settings, error) {
	if len(subs) == 0 {
		return nil, nil
	}
	const q = `
		SELECT t.platform, t.workspace, t.user_id, t.channel_id, t.quiet_start, t.quiet_end, t.language, t.locale
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (p, w, u, c)
		JOIN subscriber_settings AS t ON t.platform = s.p AND t.workspace = s.w
			AND t.user_id = s.u AND t.channel_id = s.c`
	rows, err := s.pool.Query(ctx, q, subscriberArrays(subs)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: settings: %w", err)
	}
	defer rows.Close()
	out := map[bot.Subscriber]bot.Settings{}
	for rows.Next() {
		var sub bot.Subscriber
		var start, end *int64
		var language string
		settings := bot.Settings{}
		if err := rows.Scan(&sub.Platform, &sub.Workspace, &sub.User, &sub.Channel, &start, &end, &language, &settings.Locale); err != nil {
			return nil, fmt.Errorf("postgres: settings: %w", err)
		}
		settings.Language = text.Language(language)
		if start != nil && end != nil {
			settings.Quiet = &bot.QuietHours{Start: time.Duration(*start) * time.Minute, End: time.Duration(*end) * time.Minute}
		}
		out[sub] = settings
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: settings: %w", err)
	}
	return out, nil
}

// SaveSettings stores sub's settings.
func (s *Store) SaveSettings(ctx context.Context, sub bot.Subscriber, settings bot.Settings) error {
	var start, end any
	if q := settings.Quiet; q != nil {
		start, end = int64(q.Start/time.Minute), int64(q.End/time.Minute)
	}
	const q = `
		INSERT INTO subscriber_settings (platform, workspace, user_id, channel_id, quiet_start, quiet_end, language, locale)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (platform, workspace, user_id, channel_id)
		DO UPDATE SET quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
			language = excluded.language, locale = excluded.locale`
	if _, err := s.pool.Exec(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel, start, end, string(settings.Language), settings.Locale); err != nil {
		return fmt.Errorf("postgres: save settings of %s: %w", sub.Key(), err)
	}
	return nil
}
