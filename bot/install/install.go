// Package install keeps the workspaces the bot is installed in, for a chat
// app distributed to many of them (Slack's OAuth v2 "Add to Slack"): each
// workspace's bot token, sealed with AES-GCM before it reaches the store,
// and the rule that a workspace that removes the app hears nothing more —
// its pending deliveries fail, with the reason, in the same step that
// forgets its token.
package install

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Installation is the bot installed in one workspace (a Slack team).
type Installation struct {
	Platform    bot.Platform
	Team        string // the workspace's id, e.g. T0123
	TeamName    string
	BotUser     string // the bot's user id in that workspace
	Scope       string // the scopes granted, comma-separated as Slack says them
	InstalledBy string // who approved the install
	InstalledAt time.Time
	// BotToken calls the platform's API for this workspace. It is held in
	// the clear in memory only; LogValue leaves it out.
	BotToken string
}

// LogValue shows an installation in a log without its token.
func (i Installation) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("platform", string(i.Platform)),
		slog.String("team", i.Team),
		slog.String("bot_user", i.BotUser),
	)
}

// String names the installation, without its token.
func (i Installation) String() string { return fmt.Sprintf("%s:%s", i.Platform, i.Team) }

// Record is an installation as the store keeps it: the token sealed.
type Record struct {
	Platform    bot.Platform
	Team        string
	TeamName    string
	BotUser     string
	Scope       string
	InstalledBy string
	InstalledAt time.Time
	SealedToken []byte // nonce, then the AES-GCM ciphertext of the token
}

// Store keeps installations. storage/sqlite and storage/postgres implement
// it; bot/storetest holds them to it.
type Store interface {
	// SaveInstallation stores r, replacing the workspace's earlier
	// installation (a reinstall brings a new token).
	SaveInstallation(ctx context.Context, r Record) error
	// Installation returns the workspace's installation; ENOTFOUND when
	// the bot is not installed there.
	Installation(ctx context.Context, platform bot.Platform, team string) (Record, error)
	// Installations returns every installation on the platform, by team.
	Installations(ctx context.Context, platform bot.Platform) ([]Record, error)
	// RemoveInstallation forgets the workspace's installation and, in the
	// same transaction, marks every pending delivery to that workspace
	// failed with reason, reporting how many. A workspace not installed
	// still has its pending deliveries failed (the app was removed all the
	// same); it is not an error.
	RemoveInstallation(ctx context.Context, platform bot.Platform, team, reason string) (failed int, err error)
}

// Options configure a Service.
type Options struct {
	Store Store
	// Key seals the tokens: 32 bytes (AES-256), derived from the
	// operator's secret. Tokens sealed with one key open only with it.
	Key    []byte
	Clock  bot.Clock    // stamps InstalledAt when the caller leaves it zero; nil: the system clock
	Logger *slog.Logger // nil discards
}

// Service keeps installations, sealing and opening their tokens. Its
// methods are safe for concurrent use.
type Service struct {
	store Store
	aead  cipher.AEAD
	clock bot.Clock
	log   *slog.Logger

	mu       sync.Mutex
	installs map[string]installedAt // what Reaches found, by workspace
}

// installedAt is whether the app was installed in a workspace, and when
// the store said so.
type installedAt struct {
	installed bool
	at        time.Time
}

// reachFor is how long Reaches trusts what the store said of a workspace:
// a change made through another replica of the bot is seen within it, and
// a notice's fan-out asks the store at most once a workspace in it.
const reachFor = 30 * time.Second

// distributed is the platform whose workspaces install the app, the one
// Reaches answers for: Slack's OAuth v2.
const distributed = bot.PlatformSlack

// New returns the service; the key must be 32 bytes.
func New(opts Options) (*Service, error) {
	if opts.Store == nil {
		return nil, errors.New("install: no store")
	}
	if len(opts.Key) != 32 {
		return nil, fmt.Errorf("install: the key is %d bytes, want 32", len(opts.Key))
	}
	block, err := aes.NewCipher(opts.Key)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	if opts.Clock == nil {
		opts.Clock = bot.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: opts.Store, aead: aead, clock: opts.Clock, log: opts.Logger,
		installs: map[string]installedAt{}}, nil
}

// Add stores the installation, its token sealed; a reinstall replaces the
// workspace's earlier one. EINVALID when it names no workspace or token.
func (s *Service) Add(ctx context.Context, in Installation) error {
	if in.Platform == "" || in.Team == "" || in.BotToken == "" {
		return bot.Errorf(bot.EINVALID, "an installation needs a platform, a workspace and a bot token")
	}
	if in.InstalledAt.IsZero() {
		in.InstalledAt = s.clock.Now()
	}
	r := Record{
		Platform: in.Platform, Team: in.Team, TeamName: in.TeamName, BotUser: in.BotUser,
		Scope: in.Scope, InstalledBy: in.InstalledBy, InstalledAt: in.InstalledAt.UTC(),
		SealedToken: s.seal(in.Platform, in.Team, in.BotToken),
	}
	if err := s.store.SaveInstallation(ctx, r); err != nil {
		return fmt.Errorf("install: save %s: %w", in, err)
	}
	s.remember(in.Platform, in.Team, true)
	s.log.Info("installed", "installation", in, "team_name", in.TeamName)
	return nil
}

// Get returns the workspace's installation with its token opened;
// ENOTFOUND when the bot is not installed there. A token that does not
// open (another key, or a row changed by hand) is an error that says so.
func (s *Service) Get(ctx context.Context, platform bot.Platform, team string) (Installation, error) {
	r, err := s.store.Installation(ctx, platform, team)
	if err != nil {
		return Installation{}, err
	}
	return s.open(r)
}

// List returns every installation on the platform, tokens opened.
func (s *Service) List(ctx context.Context, platform bot.Platform) ([]Installation, error) {
	rs, err := s.store.Installations(ctx, platform)
	if err != nil {
		return nil, err
	}
	out := make([]Installation, 0, len(rs))
	for _, r := range rs {
		in, err := s.open(r)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// Remove forgets the workspace's installation and fails its pending
// deliveries with reason (e.g. "the workspace uninstalled the app"),
// reporting how many failed.
func (s *Service) Remove(ctx context.Context, platform bot.Platform, team, reason string) (int, error) {
	n, err := s.store.RemoveInstallation(ctx, platform, team, reason)
	if err != nil {
		return 0, fmt.Errorf("install: remove %s:%s: %w", platform, team, err)
	}
	s.remember(platform, team, false)
	s.log.Info("uninstalled", "platform", platform, "team", team, "reason", reason, "deliveries_failed", n)
	return n, nil
}

// Reaches reports whether the app is installed in the workspace, so that
// a notice makes nothing there once the workspace removed it (bot.Reach).
// Workspaces on other platforms than the service's are always reached.
func (s *Service) Reaches(ctx context.Context, platform bot.Platform, team string) (bool, error) {
	if platform != distributed {
		return true, nil
	}
	now := s.clock.Now()
	s.mu.Lock()
	known, ok := s.installs[team]
	s.mu.Unlock()
	if ok && now.Sub(known.at) < reachFor {
		return known.installed, nil
	}
	_, err := s.store.Installation(ctx, platform, team)
	if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
		return false, fmt.Errorf("install: is the app installed in %s:%s: %w", platform, team, err)
	}
	s.remember(platform, team, err == nil)
	return err == nil, nil
}

// remember notes whether the app is installed in the workspace, for
// Reaches.
func (s *Service) remember(platform bot.Platform, team string, installed bool) {
	if platform != distributed {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.installs[team] = installedAt{installed: installed, at: s.clock.Now()}
}

// seal encrypts token for the workspace: the workspace is the additional
// data, so a sealed token copied into another workspace's row does not
// open there.
func (s *Service) seal(platform bot.Platform, team, token string) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(token)+s.aead.Overhead())
	rand.Read(nonce) // never fails
	return s.aead.Seal(nonce, nonce, []byte(token), additional(platform, team))
}

// open decrypts a record's token.
func (s *Service) open(r Record) (Installation, error) {
	in := Installation{
		Platform: r.Platform, Team: r.Team, TeamName: r.TeamName, BotUser: r.BotUser,
		Scope: r.Scope, InstalledBy: r.InstalledBy, InstalledAt: r.InstalledAt,
	}
	n := s.aead.NonceSize()
	if len(r.SealedToken) < n {
		return Installation{}, fmt.Errorf("install: the stored token of %s is too short to be sealed", in)
	}
	token, err := s.aead.Open(nil, r.SealedToken[:n], r.SealedToken[n:], additional(r.Platform, r.Team))
	if err != nil {
		return Installation{}, fmt.Errorf("install: the stored token of %s does not open with this TENDERBOT_SECRET_KEY (was the key changed?)", in)
	}
	in.BotToken = string(token)
	return in, nil
}

func additional(platform bot.Platform, team string) []byte {
	return []byte("tenderbot installation " + string(platform) + ":" + team)
}
