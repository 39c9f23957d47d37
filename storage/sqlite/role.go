package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// GrantRole gives sub the role; granting it again changes nothing.
func (s *Store) GrantRole(ctx context.Context, sub bot.Subscriber, r bot.Role, by bot.Subscriber, at time.Time) error {
	const q = `
		INSERT INTO roles (platform, workspace, user_id, role, granted_by, granted_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	if _, err := s.writer.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, r, by.Key(), formatTime(at)); err != nil {
		return fmt.Errorf("sqlite: grant %s to %s: %w", r, sub.Key(), err)
	}
	return nil
}

// RevokeRole takes the role from sub, or returns ENOTFOUND.
func (s *Store) RevokeRole(ctx context.Context, sub bot.Subscriber, r bot.Role) error {
	const q = `DELETE FROM roles WHERE platform = ? AND workspace = ? AND user_id = ? AND role = ?`
	res, err := s.writer.ExecContext(ctx, q, sub.Platform, sub.Workspace, sub.User, r)
	if err == nil {
		err = affectOne(res)
	}
	if err != nil {
		return fmt.Errorf("sqlite: revoke %s from %s: %w", r, sub.Key(), translate(err, text.N("%s does not hold the %s role"), sub.User, r))
	}
	return nil
}

// Roles returns the roles sub holds, by name.
func (s *Store) Roles(ctx context.Context, sub bot.Subscriber) ([]bot.Role, error) {
	const q = `SELECT role FROM roles WHERE platform = ? AND workspace = ? AND user_id = ? ORDER BY role`
	rows, err := s.reader.QueryContext(ctx, q, sub.Platform, sub.Workspace, sub.User)
	if err != nil {
		return nil, fmt.Errorf("sqlite: roles of %s: %w", sub.Key(), err)
	}
	defer rows.Close()
	var roles []bot.Role
	for rows.Next() {
		var r bot.Role
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("sqlite: roles of %s: %w", sub.Key(), err)
		}
		roles = append(roles, r)
	}
	return roles, rows.Err()
}

// RoleHolders returns every granted role, by workspace and user.
func (s *Store) RoleHolders(ctx context.Context) ([]bot.RoleGrant, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT platform, workspace, user_id, role FROM roles ORDER BY platform, workspace, user_id, role`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: role holders: %w", err)
	}
	defer rows.Close()
	var grants []bot.RoleGrant
	for rows.Next() {
		var g bot.RoleGrant
		if err := rows.Scan(&g.Holder.Platform, &g.Holder.Workspace, &g.Holder.User, &g.Role); err != nil {
			return nil, fmt.Errorf("sqlite: role holders: %w", err)
		}
		grants = append(grants, g)
	}
	return grants, rows.Err()
}
