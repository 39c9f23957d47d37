package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Role is a right a person holds in a workspace.
type Role string

// Roles. An admin may do what every role may.
const (
	RoleAdmin   Role = "admin"   // grants roles, sees everyone's failed deliveries, manages every feed
	RolePartner Role = "partner" // adds and manages their own feeds
	RoleStaff   Role = "staff"   // procurement staff: posts engagement events
)

// RoleGrant is one role held by one person.
type RoleGrant struct {
	Holder Subscriber
	Role   Role
}

// Rights decides who may do what: the admins named in configuration hold
// every role; everybody else holds the roles granted in the store.
type Rights struct {
	Store  RoleStore
	Admins []Subscriber
}

// Can reports whether s holds the role, or is an admin: configured as one,
// or granted the role.
func (r Rights) Can(ctx context.Context, s Subscriber, role Role) (bool, error) {
	if slices.Contains(r.Admins, s) {
		return true, nil
	}
	roles, err := r.Store.Roles(ctx, s)
	if err != nil {
		return false, fmt.Errorf("roles of %s: %w", s.Key(), err)
	}
	return slices.Contains(roles, role) || slices.Contains(roles, RoleAdmin), nil
}

// Require returns an error for the person, saying who may and how to get
// the role, unless s holds it; what is what the role allows ("post events").
func (r Rights) Require(ctx context.Context, s Subscriber, role Role, what string) error {
	ok, err := r.Can(ctx, s, role)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EINVALID, "Only people with the %s role can %s. An admin can grant it with `role grant <user> %s`.", role, what, role)
	}
	return nil
}

// roleCommand grants, revokes and lists roles: "role grant <user> partner",
// "role revoke <user> partner", "role" (your own).
func (b *Bot) roleCommand(ctx context.Context, c Command, args string) (Message, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		roles, err := b.store.Roles(ctx, c.From)
		if err != nil {
			return Message{}, fmt.Errorf("roles: %w", err)
		}
		if slices.Contains(b.admins, c.From) && !slices.Contains(roles, RoleAdmin) {
			roles = append(roles, RoleAdmin)
		}
		if len(roles) == 0 {
			return Message{Text: "You hold no roles: you can subscribe, search and follow, as everyone can."}, nil
		}
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		return Message{Text: "Your roles: " + strings.Join(names, ", ") + "."}, nil
	}
	usage := "Write `role grant <user> admin|partner|staff` or `role revoke <user> <role>`; `role` shows yours."
	if len(fields) != 3 || (fields[0] != "grant" && fields[0] != "revoke") {
		return Message{}, Errorf(EINVALID, "%s", usage)
	}
	if err := b.rights.Require(ctx, c.From, RoleAdmin, "grant and revoke roles"); err != nil {
		return Message{}, err
	}
	who, ok := ParseUserRef(c.From, fields[1])
	if c.Mentions != nil {
		// The chat looked the mention up: only a user it found counts.
		id := (*c.Mentions)[fields[1]]
		if id == "" {
			return Message{}, Errorf(EINVALID, "%s is not a user in this workspace, so nobody got a role. Mention them so the chat links the name (type @ and pick them from the list), or give their member id (U…). %s", fields[1], usage)
		}
		who, ok = Subscriber{Platform: c.From.Platform, Workspace: c.From.Workspace, User: id}, true
	}
	if !ok {
		return Message{}, Errorf(EINVALID, "%q is not a user; mention them (@name) or give their user id. %s", fields[1], usage)
	}
	r := Role(strings.ToLower(fields[2]))
	if r != RoleAdmin && r != RolePartner && r != RoleStaff {
		return Message{}, Errorf(EINVALID, "%q is not a role. %s", fields[2], usage)
	}
	if fields[0] == "grant" {
		if err := b.store.GrantRole(ctx, who, r, c.From, b.clock.Now()); err != nil {
			return Message{}, fmt.Errorf("grant: %w", err)
		}
		b.log.Info("role granted", "to", who.Key(), "role", r, "by", c.From.Key())
		return Message{Text: fmt.Sprintf("%s now holds the %s role.", who.User, r)}, nil
	}
	if err := b.store.RevokeRole(ctx, who, r); err != nil {
		return Message{}, err
	}
	b.log.Info("role revoked", "from", who.Key(), "role", r, "by", c.From.Key())
	return Message{Text: fmt.Sprintf("%s no longer holds the %s role.", who.User, r)}, nil
}

// ParseUserRef reads a user mention in the speaker's workspace: a Slack
// "<@U123|name>", a Discord "<@123>" or "<@!123>", "@U123" or "U123".
func ParseUserRef(from Subscriber, ref string) (Subscriber, bool) {
	id := strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(ref, "<"), ">"), "@")
	id = strings.TrimPrefix(id, "!")
	id, _, _ = strings.Cut(id, "|")
	if id == "" || strings.ContainsAny(id, " <>@/") {
		return Subscriber{}, false
	}
	return Subscriber{Platform: from.Platform, Workspace: from.Workspace, User: id}, true
}

// roles lists everyone who holds a role: the configured admins and the
// granted roles. Only admins and staff see it.
func (b *Bot) roles(ctx context.Context, c Command, _ string) (Message, error) {
	if err := b.rights.Require(ctx, c.From, RoleStaff, "list who holds which role"); err != nil {
		return Message{}, err
	}
	grants, err := b.store.RoleHolders(ctx)
	if err != nil {
		return Message{}, fmt.Errorf("roles: %w", err)
	}
	var sb strings.Builder
	sb.WriteString("Roles:\n")
	for _, a := range b.admins {
		fmt.Fprintf(&sb, "  admin — %s (configured in TENDERBOT_ADMINS)\n", a.Key())
	}
	for _, g := range grants {
		fmt.Fprintf(&sb, "  %s — %s\n", g.Role, g.Holder.Key())
	}
	if len(b.admins)+len(grants) == 0 {
		sb.WriteString("  nobody holds a role\n")
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}
