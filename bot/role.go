package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
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
// the role, unless s holds it; what is what the role allows ("post
// events"), a message id marked with text.N: the error says it in the
// language the whole sentence is said in.
func (r Rights) Require(ctx context.Context, s Subscriber, role Role, what string) error {
	ok, err := r.Can(ctx, s, role)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EINVALID, "Only people with the %s role can %s. An admin can grant it with `role grant <user> %s`.", role, text.Phrase(what), role)
	}
	return nil
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

// Roles grants, revokes and lists roles in chat (bot/roles implements
// it); who may do what is Rights' to say.
type Roles interface {
	// Role answers "role [grant|revoke <user> <role>]".
	Role(ctx context.Context, c Command, args string) (Message, error)
	// Holders answers "roles": who holds which role.
	Holders(ctx context.Context, c Command) (Message, error)
}

// withRoles runs a role command, or says roles are not granted in chat
// here.
func (b *Bot) withRoles(run func(Roles) (Message, error)) (Message, error) {
	if b.roles == nil {
		return Message{}, Errorf(EINVALID, "Roles are not granted in chat here; the operator configures them.")
	}
	return run(b.roles)
}
