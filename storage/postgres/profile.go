package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// insertProfile adds a profile and returns its id.
const insertProfile = `
	INSERT INTO profiles (platform, workspace, user_id, channel_id, name, query, delivery, paused, created_at, created_by, mention)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
	RETURNING id`

// CreateProfile stores p and sets its ID, and its CreatedAt when zero. It
// returns ECONFLICT when the subscriber already has a profile with that name.
func (s *Store) CreateProfile(ctx context.Context, p *bot.Profile) error {
	created := p.CreatedAt.UTC()
	if p.CreatedAt.IsZero() {
		created = s.now()
	}
	sub := p.Subscriber
	var id int64
	err := s.pool.QueryRow(ctx, insertProfile, sub.Platform, sub.Workspace, sub.User, sub.Channel,
		p.Name, p.Query, p.Delivery, p.Paused, unixNano(created), p.CreatedBy, p.Mention.String()).Scan(&id)
	if err != nil {
		err = translate(err, text.N("you already have a profile named %q"), p.Name)
		return fmt.Errorf("postgres: create profile %q: %w", p.Name, err)
	}
	p.ID, p.CreatedAt = id, created
	return nil
}

// ListProfiles returns the subscriber's profiles, oldest first: in the order
// they were stored.
func (s *Store) ListProfiles(ctx context.Context, sub bot.Subscriber) ([]bot.Profile, error) {
	const q = `SELECT ` + profileColumns + ` FROM profiles WHERE ` + subscriberWhere + ` ORDER BY id`
	ps, err := s.queryProfiles(ctx, q, subscriberArgs(sub)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list profiles of %s: %w", sub.Key(), err)
	}
	return ps, nil
}

// DeleteProfile removes a profile, or returns ENOTFOUND.
func (s *Store) DeleteProfile(ctx context.Context, id int64) error {
	if err := affectOne(s.pool.Exec(ctx, `DELETE FROM profiles WHERE id = $1`, id)); err != nil {
		err = translate(err, text.N("there is no profile %d"), id)
		return fmt.Errorf("postgres: delete profile %d: %w", id, err)
	}
	return nil
}

// UpdateProfile stores p's name, query and paused flag, keeping the rest of
// the profile. It returns ENOTFOUND when there is no profile p.ID and
// ECONFLICT when its subscriber has another profile of that name.
func (s *Store) UpdateProfile(ctx context.Context, p bot.Profile) error {
	const q = `UPDATE profiles SET name = $1, query = $2, paused = $3 WHERE id = $4`
	err := affectOne(s.pool.Exec(ctx, q, p.Name, p.Query, p.Paused, p.ID))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("postgres: update profile %d: %w", p.ID, translate(err, text.N("there is no profile %d"), p.ID))
	case err != nil:
		return fmt.Errorf("postgres: update profile %d: %w", p.ID, translate(err, text.N("you already have a profile named %q"), p.Name))
	}
	return nil
}

// SetDelivery changes how a profile's matches are delivered, or returns
// ENOTFOUND.
func (s *Store) SetDelivery(ctx context.Context, id int64, mode bot.DeliveryMode) error {
	if err := affectOne(s.pool.Exec(ctx, `UPDATE profiles SET delivery = $1 WHERE id = $2`, mode, id)); err != nil {
		return fmt.Errorf("postgres: set delivery of profile %d: %w", id, translate(err, text.N("there is no profile %d"), id))
	}
	return nil
}

// ProfilesByID returns the profiles with the given IDs that exist, in the
// order they were stored; the IDs travel as one array parameter.
func (s *Store) ProfilesByID(ctx context.Context, ids []int64) ([]bot.Profile, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	const q = `SELECT ` + profileColumns + ` FROM profiles WHERE id = ANY($1) ORDER BY id`
	ps, err := s.queryProfiles(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: profiles by id: %w", err)
	}
	return ps, nil
}

// ProfilesAfter returns up to limit profiles whose ID is greater than
// afterID, in ID order.
func (s *Store) ProfilesAfter(ctx context.Context, afterID int64, limit int) ([]bot.Profile, error) {
	const q = `SELECT ` + profileColumns + ` FROM profiles WHERE id > $1 ORDER BY id LIMIT $2`
	ps, err := s.queryProfiles(ctx, q, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: profiles after %d: %w", afterID, err)
	}
	return ps, nil
}

// profileColumns are the columns scanProfile reads, in its order.
const profileColumns = `id, platform, workspace, user_id, channel_id, name, query, delivery, paused, created_at, created_by, mention`

// queryProfiles runs q, which selects profileColumns.
func (s *Store) queryProfiles(ctx context.Context, q string, args ...any) ([]bot.Profile, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	return collect(rows, err, func(row pgx.Rows) (bot.Profile, error) {
		var (
			p       bot.Profile
			created int64
			mention string
		)
		err := row.Scan(&p.ID, &p.Subscriber.Platform, &p.Subscriber.Workspace,
			&p.Subscriber.User, &p.Subscriber.Channel, &p.Name, &p.Query, &p.Delivery, &p.Paused, &created, &p.CreatedBy, &mention)
		if err != nil {
			return p, err
		}
		p.CreatedAt = fromNano(created)
		if p.Mention, err = bot.ParseMention(mention); err != nil {
			return p, fmt.Errorf("profile %d: %w", p.ID, err)
		}
		return p, nil
	})
}

// CreateProfiles stores the profiles in one transaction, setting each one's
// ID, and its CreatedAt when zero: CreateProfile for many at once, as a
// bulk import or a benchmark's setup needs. It returns ECONFLICT when a
// subscriber would have two profiles of one name, and then stores none.
func (s *Store) CreateProfiles(ctx context.Context, ps []bot.Profile) error {
	now := s.now()
	ids := make([]int64, len(ps))
	err := s.write(ctx, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, p := range ps {
			created := p.CreatedAt.UTC()
			if p.CreatedAt.IsZero() {
				created = now
			}
			sub := p.Subscriber
			batch.Queue(insertProfile, sub.Platform, sub.Workspace, sub.User, sub.Channel,
				p.Name, p.Query, p.Delivery, p.Paused, unixNano(created), p.CreatedBy, p.Mention.String())
		}
		results := tx.SendBatch(ctx, batch)
		for i, p := range ps {
			if err := results.QueryRow().Scan(&ids[i]); err != nil {
				results.Close()
				return translate(err, text.N("%s would have two profiles named %q"), p.Subscriber.Key(), p.Name)
			}
		}
		return results.Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: create %d profiles: %w", len(ps), err)
	}
	for i := range ps {
		ps[i].ID = ids[i]
		if ps[i].CreatedAt.IsZero() {
			ps[i].CreatedAt = now
		} else {
			ps[i].CreatedAt = ps[i].CreatedAt.UTC()
		}
	}
	return nil
}

// subscriberWhere matches the four subscriber columns of a table to $1–$4.
const subscriberWhere = `platform = $1 AND workspace = $2 AND user_id = $3 AND channel_id = $4`

// subscriberArgs are sub's four columns, for subscriberWhere.
func subscriberArgs(sub bot.Subscriber) []any {
	return []any{sub.Platform, sub.Workspace, sub.User, sub.Channel}
}

// subscriberArrays returns subs as four parallel arrays, for a set-based
// read that unnests them: one parameter each however many there are.
func subscriberArrays(subs []bot.Subscriber) []any {
	var platforms, workspaces, users, channels []string
	for _, sub := range subs {
		platforms = append(platforms, string(sub.Platform))
		workspaces = append(workspaces, sub.Workspace)
		users = append(users, sub.User)
		channels = append(channels, sub.Channel)
	}
	return []any{platforms, workspaces, users, channels}
}
