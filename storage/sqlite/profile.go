package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// insertProfile adds a profile.
const insertProfile = `
	INSERT INTO profiles (platform, workspace, user_id, channel_id, name, query, delivery, paused, created_at, created_by, mention)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateProfile stores p and sets its ID, and its CreatedAt when zero. It
// returns ECONFLICT when the subscriber already has a profile with that name.
func (s *Store) CreateProfile(ctx context.Context, p *bot.Profile) error {
	created := p.CreatedAt.UTC()
	if p.CreatedAt.IsZero() {
		created = s.now()
	}
	sub := p.Subscriber
	res, err := s.writer.ExecContext(ctx, insertProfile,
		sub.Platform, sub.Workspace, sub.User, sub.Channel,
		p.Name, p.Query, p.Delivery, p.Paused, formatTime(created), p.CreatedBy, p.Mention.String())
	if err != nil {
		err = translate(err, text.N("you already have a profile named %q"), p.Name)
		return fmt.Errorf("sqlite: create profile %q: %w", p.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlite: create profile %q: %w", p.Name, err)
	}
	p.ID, p.CreatedAt = id, created
	return nil
}

// ListProfiles returns the subscriber's profiles, oldest first: in the order
// they were stored, which a wall clock stepping back cannot reorder.
func (s *Store) ListProfiles(ctx context.Context, sub bot.Subscriber) ([]bot.Profile, error) {
	const q = `
		SELECT ` + profileColumns + `
		FROM profiles
		WHERE platform = ? AND workspace = ? AND user_id = ? AND channel_id = ?
		ORDER BY id`
	ps, err := s.queryProfiles(ctx, q, sub.Platform, sub.Workspace, sub.User, sub.Channel)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list profiles of %s: %w", sub.Key(), err)
	}
	return ps, nil
}

// DeleteProfile removes a profile, or returns ENOTFOUND.
func (s *Store) DeleteProfile(ctx context.Context, id int64) error {
	defer s.facts.forgetProfile(id, true)
	res, err := s.writer.ExecContext(ctx, `DELETE FROM profiles WHERE id = ?`, id)
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		err = translate(err, text.N("there is no profile %d"), id)
		return fmt.Errorf("sqlite: delete profile %d: %w", id, err)
	}
	return nil
}

// UpdateProfile stores p's name, query and paused flag, keeping the rest of
// the profile. It returns ENOTFOUND when there is no profile p.ID and
// ECONFLICT when its subscriber has another profile of that name.
func (s *Store) UpdateProfile(ctx context.Context, p bot.Profile) error {
	defer s.facts.forgetProfile(p.ID, false)
	const q = `UPDATE profiles SET name = ?, query = ?, paused = ? WHERE id = ?`
	res, err := s.writer.ExecContext(ctx, q, p.Name, p.Query, p.Paused, p.ID)
	if err == nil {
		err = affectOne(res)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlite: update profile %d: %w", p.ID, translate(err, text.N("there is no profile %d"), p.ID))
	case err != nil:
		return fmt.Errorf("sqlite: update profile %d: %w", p.ID, translate(err, text.N("you already have a profile named %q"), p.Name))
	}
	return nil
}

// ProfilesByID returns the profiles with the given IDs that exist, in the
// order they were stored. IDs that do not exist are left out.
func (s *Store) ProfilesByID(ctx context.Context, ids []int64) ([]bot.Profile, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	known, missing, gen := s.facts.profilesByID(ids)
	if len(missing) == 0 {
		return known, nil
	}
	// The IDs travel as one JSON array: a notice can match more profiles
	// than SQLite takes parameters.
	list, err := json.Marshal(missing)
	if err != nil {
		return nil, fmt.Errorf("sqlite: profiles by id: %w", err)
	}
	const q = `
		SELECT ` + profileColumns + `
		FROM profiles
		WHERE id IN (SELECT value FROM json_each(?))
		ORDER BY id`
	read, err := s.queryProfiles(ctx, q, string(list))
	if err != nil {
		return nil, fmt.Errorf("sqlite: profiles by id: %w", err)
	}
	s.facts.addProfiles(gen, read)
	if len(known) == 0 {
		return read, nil
	}
	ps := append(known, read...)
	slices.SortFunc(ps, func(a, b bot.Profile) int { return cmp.Compare(a.ID, b.ID) })
	return ps, nil
}

// ProfilesAfter returns up to limit profiles whose ID is greater than
// afterID, in ID order.
func (s *Store) ProfilesAfter(ctx context.Context, afterID int64, limit int) ([]bot.Profile, error) {
	const q = `SELECT ` + profileColumns + ` FROM profiles WHERE id > ? ORDER BY id LIMIT ?`
	gen := s.facts.begin()
	ps, err := s.queryProfiles(ctx, q, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: profiles after %d: %w", afterID, err)
	}
	s.facts.addProfiles(gen, ps) // what a fan-out will ask of them
	return ps, nil
}

// profileColumns are the columns queryProfiles scans, in its order.
const profileColumns = `id, platform, workspace, user_id, channel_id, name, query, delivery, paused, created_at, created_by, mention`

// queryProfiles runs q, which selects profileColumns, on the reader pool.
func (s *Store) queryProfiles(ctx context.Context, q string, args ...any) ([]bot.Profile, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []bot.Profile
	for rows.Next() {
		var (
			p                bot.Profile
			created, mention string
		)
		err := rows.Scan(&p.ID, &p.Subscriber.Platform, &p.Subscriber.Workspace,
			&p.Subscriber.User, &p.Subscriber.Channel, &p.Name, &p.Query, &p.Delivery, &p.Paused, &created, &p.CreatedBy, &mention)
		if err != nil {
			return nil, err
		}
		if p.Mention, err = bot.ParseMention(mention); err != nil {
			return nil, fmt.Errorf("profile %d: %w", p.ID, err)
		}
		if p.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("profile %d: %w", p.ID, err)
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// CreateProfiles stores the profiles in one transaction, setting each one's
// ID, and its CreatedAt when zero: CreateProfile for many at once, as a
// bulk import or a benchmark's setup needs. It returns ECONFLICT when a
// subscriber would have two profiles of one name, and then stores none.
func (s *Store) CreateProfiles(ctx context.Context, ps []bot.Profile) error {
	now := s.now()
	ids := make([]int64, len(ps))
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		insert, err := tx.PrepareContext(ctx, insertProfile)
		if err != nil {
			return err
		}
		defer insert.Close()
		for i, p := range ps {
			created := p.CreatedAt.UTC()
			if p.CreatedAt.IsZero() {
				created = now
			}
			sub := p.Subscriber
			res, err := insert.ExecContext(ctx, sub.Platform, sub.Workspace, sub.User, sub.Channel,
				p.Name, p.Query, p.Delivery, p.Paused, formatTime(created), p.CreatedBy, p.Mention.String())
			if err != nil {
				return translate(err, text.N("%s would have two profiles named %q"), sub.Key(), p.Name)
			}
			if ids[i], err = res.LastInsertId(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: create %d profiles: %w", len(ps), err)
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
