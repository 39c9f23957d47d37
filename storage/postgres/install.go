package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/text"
)

var _ install.Store = (*Store)(nil)

// SaveInstallation stores r, replacing the workspace's earlier one.
func (s *Store) SaveInstallation(ctx context.Context, r install.Record) error {
	if err := checkTime("installed_at", r.InstalledAt); err != nil {
		return fmt.Errorf("postgres: save installation %s:%s: %w", r.Platform, r.Team, err)
	}
	const q = `
		INSERT INTO installations (platform, team, team_name, bot_user, scope, installed_by, installed_at, token)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (platform, team) DO UPDATE SET
			team_name = excluded.team_name, bot_user = excluded.bot_user, scope = excluded.scope,
			installed_by = excluded.installed_by, installed_at = excluded.installed_at, token = excluded.token`
	_, err := s.pool.Exec(ctx, q, string(r.Platform), r.Team, r.TeamName, r.BotUser, r.Scope,
		r.InstalledBy, unixNano(r.InstalledAt), r.SealedToken)
	if err != nil {
		return fmt.Errorf("postgres: save installation %s:%s: %w", r.Platform, r.Team, err)
	}
	return nil
}

const installationColumns = `platform, team, team_name, bot_user, scope, installed_by, installed_at, token`

// Installation returns the workspace's installation, or ENOTFOUND.
func (s *Store) Installation(ctx context.Context, platform bot.Platform, team string) (install.Record, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+installationColumns+` FROM installations WHERE platform = $1 AND team = $2`, string(platform), team)
	r, err := scanInstallation(row)
	if err != nil {
		return install.Record{}, fmt.Errorf("postgres: installation %s:%s: %w", platform, team,
			translate(err, text.N("the bot is not installed in %s workspace %s"), platform, team))
	}
	return r, nil
}

// Installations returns every installation on the platform, by team.
func (s *Store) Installations(ctx context.Context, platform bot.Platform) ([]install.Record, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+installationColumns+` FROM installations WHERE platform = $1 ORDER BY team`, string(platform))
	if err != nil {
		return nil, fmt.Errorf("postgres: installations: %w", err)
	}
	defer rows.Close()
	var out []install.Record
	for rows.Next() {
		r, err := scanInstallation(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: installations: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: installations: %w", err)
	}
	return out, nil
}

// RemoveInstallation forgets the workspace's installation and fails its
// pending deliveries with reason, in one transaction.
func (s *Store) RemoveInstallation(ctx context.Context, platform bot.Platform, team, reason string) (int, error) {
	var failed int64
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM installations WHERE platform = $1 AND team = $2`, string(platform), team); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE outbox SET status = 'failed', last_error = $1 WHERE status = 'pending' AND platform = $2 AND workspace = $3`,
			reason, string(platform), team)
		failed = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: remove installation %s:%s: %w", platform, team, err)
	}
	return int(failed), nil
}

// InstalledIn returns the workspace whose install of the app the person
// approved: theirs, when they did.
func (p personal) InstalledIn(ctx context.Context, sub bot.Subscriber) ([]string, error) {
	rows, err := p.pool.Query(ctx, `SELECT team FROM installations WHERE platform = $1 AND team = $2 AND installed_by = $3 ORDER BY team`,
		string(sub.Platform), sub.Workspace, sub.User)
	return collect(rows, err, func(row pgx.Rows) (string, error) { return pgx.RowTo[string](row) })
}

func scanInstallation(row pgx.Row) (install.Record, error) {
	var r install.Record
	var platform string
	var at int64
	if err := row.Scan(&platform, &r.Team, &r.TeamName, &r.BotUser, &r.Scope, &r.InstalledBy, &at, &r.SealedToken); err != nil {
		return install.Record{}, err
	}
	r.Platform = bot.Platform(platform)
	r.InstalledAt = fromNano(at)
	return r, nil
}
