package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// GrantRole gives sub the role; granting it again changes nothing.
func (s *Store) GrantRole(ctx context.Context, sub bot.Subscriber, r bot.Role, by bot.Subscriber, at time.Time) error {
	const q = `
		INSERT INTO roles (platform, workspace, user_id, role, granted_by, granted_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`
	if _, err := s.pool.Exec(ctx, q, sub.Platform, sub.Workspace, sub.User, r, by.Key(), unixNano(at)); err != nil {
		return fmt.Errorf("postgres: grant %s to %s: %w", r, sub.Key(), err)
	}
	return nil
}

// RevokeRole takes the role from sub, or returns ENOTFOUND.
func (s *Store) RevokeRole(ctx context.Context, sub bot.Subscriber, r bot.Role) error {
	const q = `DELETE FROM roles WHERE platform = $1 AND workspace = $2 AND user_id = $3 AND role = $4`
	if err := affectOne(s.pool.Exec(ctx, q, sub.Platform, sub.Workspace, sub.User, r)); err != nil {
		return fmt.Errorf("postgres: revoke %s from %s: %w", r, sub.Key(), translate(err, text.N("%s does not hold the %s role"), sub.User, r))
	}
	return nil
}

// Roles returns the roles sub holds, by name.
func (s *Store) Roles(ctx context.Context, sub bot.Subscriber) ([]bot.Role, error) {
	const q = `SELECT role FROM roles WHERE platform = $1 AND workspace = $2 AND user_id = $3 ORDER BY role`
	rows, err := s.pool.Query(ctx, q, sub.Platform, sub.Workspace, sub.User)
	roles, err := collect(rows, err, func(row pgx.Rows) (bot.Role, error) {
		var r bot.Role
		err := row.Scan(&r)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: roles of %s: %w", sub.Key(), err)
	}
	return roles, nil
}

// RoleHolders returns every granted role, by workspace and user.
func (s *Store) RoleHolders(ctx context.Context) ([]bot.RoleGrant, error) {
	rows, err := s.pool.Query(ctx, `SELECT platform, workspace, user_id, role FROM roles ORDER BY platform, workspace, user_id, role`)
	grants, err := collect(rows, err, func(row pgx.Rows) (bot.RoleGrant, error) {
		var g bot.RoleGrant
		err := row.Scan(&g.Holder.Platform, &g.Holder.Workspace, &g.Holder.User, &g.Role)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: role holders: %w", err)
	}
	return grants, nil
}
