package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/text"
)

var _ install.Store = (*Store)(nil)

// SaveInstallation stores r, replacing the workspace's earlier one.
func (s *Store) SaveInstallation(ctx context.Context, r install.Record) error {
	const q = `
		INSERT INTO installations (platform, team, team_name, bot_user, scope, installed_by, installed_at, token)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, team) DO UPDATE SET
			team_name = excluded.team_name, bot_user = excluded.bot_user, scope = excluded.scope,
			installed_by = excluded.installed_by, installed_at = excluded.installed_at, token = excluded.token`
	_, err := s.writer.ExecContext(ctx, q, string(r.Platform), r.Team, r.TeamName, r.BotUser, r.Scope,
		r.InstalledBy, formatTime(r.InstalledAt), r.SealedToken)
	if err != nil {
		return fmt.Errorf("sqlite: save installation %s:%s: %w", r.Platform, r.Team, err)
	}
	return nil
}

const installationColumns = `platform, team, team_name, bot_user, scope, installed_by, installed_at, token`

// Installation returns the workspace's installation, or ENOTFOUND.
func (s *Store) Installation(ctx context.Context, platform bot.Platform, team string) (install.Record, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+installationColumns+` FROM installations WHERE platform = ? AND team = ?`, string(platform), team)
	r, err := scanInstallation(row)
	if err != nil {
		return install.Record{}, fmt.Errorf("sqlite: installation %s:%s: %w", platform, team,
			translate(err, text.N("the bot is not installed in %s workspace %s"), platform, team))
	}
	return r, nil
}

// Installations returns every installation on the platform, by team.
func (s *Store) Installations(ctx context.Context, platform bot.Platform) ([]install.Record, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+installationColumns+` FROM installations WHERE platform = ? ORDER BY team`, string(platform))
	if err != nil {
		return nil, fmt.Errorf("sqlite: installations: %w", err)
	}
	defer rows.Close()
	var out []install.Record
	for rows.Next() {
		r, err := scanInstallation(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: installations: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: installations: %w", err)
	}
	return out, nil
}

// RemoveInstallation forgets the workspace's installation and fails its
// pending deliveries with reason, in one transaction.
func (s *Store) RemoveInstallation(ctx context.Context, platform bot.Platform, team, reason string) (int, error) {
	var failed int64
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM installations WHERE platform = ? AND team = ?`, string(platform), team); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE status = 'pending' AND platform = ? AND workspace = ?`,
			reason, string(platform), team)
		if err != nil {
			return err
		}
		failed, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: remove installation %s:%s: %w", platform, team, err)
	}
	return int(failed), nil
}

// InstalledIn returns the workspace whose install of the app the person
// approved: theirs, when they did.
func (p personal) InstalledIn(ctx context.Context, sub bot.Subscriber) ([]string, error) {
	return p.column(ctx, `SELECT team FROM installations WHERE platform = ? AND team = ? AND installed_by = ? ORDER BY team`,
		string(sub.Platform), sub.Workspace, sub.User)
}

func scanInstallation(row interface{ Scan(...any) error }) (install.Record, error) {
	var r install.Record
	var platform, at string
	if err := row.Scan(&platform, &r.Team, &r.TeamName, &r.BotUser, &r.Scope, &r.InstalledBy, &at, &r.SealedToken); err != nil {
		return install.Record{}, err
	}
	r.Platform = bot.Platform(platform)
	t, err := parseTime(at)
	if err != nil {
		return install.Record{}, err
	}
	r.InstalledAt = t
	return r, nil
}
