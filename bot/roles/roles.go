package roles

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Options are a Service's dependencies. Store and Rights are required; the
// rest have defaults.
type Options struct {
	Store  bot.RoleStore
	Rights bot.Rights // who holds which role, the configured admins included
	Clock  bot.Clock  // nil: bot.SystemClock
	Logger *slog.Logger
}

// Service grants, revokes and lists roles. It implements bot.Roles for the
// core's command router. Its methods are safe for concurrent use.
type Service struct {
	store  bot.RoleStore
	rights bot.Rights
	clock  bot.Clock
	log    *slog.Logger
}

var _ bot.Roles = (*Service)(nil)

// New returns a Service.
func New(opts Options) *Service {
	s := &Service{store: opts.Store, rights: opts.Rights, clock: opts.Clock, log: opts.Logger}
	if s.clock == nil {
		s.clock = bot.SystemClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Role answers "role grant <user> partner", "role revoke <user> partner"
// and "role" (your own).
func (s *Service) Role(ctx context.Context, c bot.Command, args string) (bot.Message, error) {
	p := c.Printer()
	fields := strings.Fields(args)
	if len(fields) == 0 {
		roles, err := s.store.Roles(ctx, c.From)
		if err != nil {
			return bot.Message{}, fmt.Errorf("roles: %w", err)
		}
		if slices.Contains(s.rights.Admins, c.From) && !slices.Contains(roles, bot.RoleAdmin) {
			roles = append(roles, bot.RoleAdmin)
		}
		if len(roles) == 0 {
			return bot.Message{Text: p.Sprintf("You hold no roles: you can subscribe, search and follow, as everyone can."), Language: p.Language()}, nil
		}
		// The roles are named as `role grant` takes them.
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		return bot.Message{Text: p.Sprintf("Your roles: %s.", p.List(names)), Language: p.Language()}, nil
	}
	usage := p.Sprintf("Write `role grant <user> admin|partner|staff` or `role revoke <user> <role>`; `role` shows yours.")
	if len(fields) != 3 || (fields[0] != "grant" && fields[0] != "revoke") {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "%s", usage)
	}
	if err := s.rights.Require(ctx, c.From, bot.RoleAdmin, text.N("grant and revoke roles")); err != nil {
		return bot.Message{}, err
	}
	who, ok := bot.ParseUserRef(c.From, fields[1])
	if c.Mentions != nil {
		// The chat looked the mention up: only a user it found counts.
		id := (*c.Mentions)[fields[1]]
		if id == "" {
			return bot.Message{}, bot.Errorf(bot.EINVALID, "%s is not a user in this workspace, so nobody got a role. Mention them so the chat links the name (type @ and pick them from the list), or give their member id (U…). %s", fields[1], usage)
		}
		who, ok = bot.Subscriber{Platform: c.From.Platform, Workspace: c.From.Workspace, User: id}, true
	}
	if !ok {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "%q is not a user; mention them (@name) or give their user id. %s", fields[1], usage)
	}
	r := bot.Role(strings.ToLower(fields[2]))
	if r != bot.RoleAdmin && r != bot.RolePartner && r != bot.RoleStaff {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "%q is not a role. %s", fields[2], usage)
	}
	if fields[0] == "grant" {
		if err := s.store.GrantRole(ctx, who, r, c.From, s.clock.Now()); err != nil {
			return bot.Message{}, fmt.Errorf("grant: %w", err)
		}
		s.log.Info("role granted", "to", who.Key(), "role", r, "by", c.From.Key())
		return bot.Message{Text: p.Sprintf("%s now holds the %s role.", who.User, r), Language: p.Language()}, nil
	}
	if err := s.store.RevokeRole(ctx, who, r); err != nil {
		return bot.Message{}, err
	}
	s.log.Info("role revoked", "from", who.Key(), "role", r, "by", c.From.Key())
	return bot.Message{Text: p.Sprintf("%s no longer holds the %s role.", who.User, r), Language: p.Language()}, nil
}

// Holders answers "roles": everyone who holds a role, the configured
// admins and the granted roles. Only admins and staff see it.
func (s *Service) Holders(ctx context.Context, c bot.Command) (bot.Message, error) {
	if err := s.rights.Require(ctx, c.From, bot.RoleStaff, text.N("list who holds which role")); err != nil {
		return bot.Message{}, err
	}
	grants, err := s.store.RoleHolders(ctx)
	if err != nil {
		return bot.Message{}, fmt.Errorf("roles: %w", err)
	}
	p := c.Printer()
	lines := []string{p.Sprintf("Roles:")}
	for _, a := range s.rights.Admins {
		lines = append(lines, p.Sprintf("  admin — %s (configured in TENDERBOT_ADMINS)", a.Key()))
	}
	for _, g := range grants {
		lines = append(lines, fmt.Sprintf("  %s — %s", g.Role, g.Holder.Key()))
	}
	if len(s.rights.Admins)+len(grants) == 0 {
		lines = append(lines, p.Sprintf("  nobody holds a role"))
	}
	return bot.Message{Text: strings.Join(lines, "\n"), Language: p.Language()}, nil
}
