package roles_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/roles"
	"github.com/tenderbot/tenderbot/bot/text"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

var (
	admin   = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "admin"}
	partner = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "desk"}
)

// newService is the roles on a real SQLite file, admin configured as the
// admin; say runs one command line of from, "role …" or "roles".
func newService(t *testing.T) (say func(from bot.Subscriber, line string, mentions *bot.Mentions) string) {
	t.Helper()
	return newServiceIn(t, text.English)
}

// newServiceIn is newService answering in lang.
func newServiceIn(t *testing.T, lang text.Language) (say func(from bot.Subscriber, line string, mentions *bot.Mentions) string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	admins := []bot.Subscriber{admin}
	s := roles.New(roles.Options{Store: store, Rights: bot.Rights{Store: store, Admins: admins}})
	return func(from bot.Subscriber, line string, mentions *bot.Mentions) string {
		c := bot.Command{From: from, Text: line, Mentions: mentions, Language: lang}
		var reply bot.Message
		var err error
		if args, ok := strings.CutPrefix(line, "role"); ok && !strings.HasPrefix(args, "s") {
			reply, err = s.Role(ctx, c, strings.TrimSpace(args))
		} else {
			reply, err = s.Holders(ctx, c)
		}
		if err != nil {
			return bot.ErrorText(c.Printer(), err)
		}
		return reply.Text
	}
}

func TestGrantRevokeAndList(t *testing.T) {
	say := newService(t)
	if got := say(partner, "role grant desk partner", nil); !strings.Contains(got, "admin role") {
		t.Errorf("a non-admin granting: %q", got)
	}
	if got := say(admin, "role grant <@desk> partner", nil); !strings.Contains(got, "desk now holds the partner role") {
		t.Fatalf("grant: %q", got)
	}
	if got := say(partner, "role", nil); got != "Your roles: partner." {
		t.Errorf("own roles: %q", got)
	}
	if got := say(admin, "role", nil); got != "Your roles: admin." {
		t.Errorf("a configured admin's roles: %q", got)
	}
	if got := say(partner, "roles", nil); !strings.Contains(got, "Only people with the staff role") {
		t.Errorf("a partner listing roles: %q", got)
	}
	got := say(admin, "roles", nil)
	for _, want := range []string{"admin — console/local/@admin (configured in TENDERBOT_ADMINS)", "partner — console/local/@desk"} {
		if !strings.Contains(got, want) {
			t.Errorf("roles lacks %q: %q", want, got)
		}
	}
	for line, want := range map[string]string{
		"role revoke desk staff":   "does not hold",
		"role grant desk overlord": "not a role",
		"role grant":               "Write `role grant",
		"role revoke desk partner": "desk no longer holds the partner role",
	} {
		if got := say(admin, line, nil); !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want %q", line, got, want)
		}
	}
	if got := say(partner, "role", nil); !strings.Contains(got, "You hold no roles") {
		t.Errorf("after the revoke: %q", got)
	}
}

// TestGrantRefusesAMentionOfNobody: where the chat resolves mentions
// (Slack), a grant to a mention that names nobody is refused, saying so;
// one that names a user goes to that user's id.
func TestGrantRefusesAMentionOfNobody(t *testing.T) {
	say := newService(t)
	slack := func(line string, mentions bot.Mentions) string { return say(admin, line, &mentions) }
	if got := slack("role grant @desk partner", bot.Mentions{"@desk": ""}); !strings.Contains(got, "not a user") || strings.Contains(got, "now holds") {
		t.Errorf("a plain @name: got %q, want it refused", got)
	}
	if got := slack("role grant <@UGHOST|ghost> partner", bot.Mentions{"<@UGHOST|ghost>": ""}); !strings.Contains(got, "not a user") {
		t.Errorf("an id Slack does not know: got %q, want it refused", got)
	}
	if got := slack("role grant <@desk|Desk> partner", bot.Mentions{"<@desk|Desk>": "desk"}); !strings.Contains(got, "desk now holds the partner role") {
		t.Fatalf("a resolved mention: %q", got)
	}
	if got := say(partner, "role", nil); !strings.Contains(got, "partner") {
		t.Errorf("the grant did not reach the mentioned user: %q", got)
	}
}

// TestRolesInDutch: granting, revoking and listing roles answer in the
// command's language; the role names stay the words `role grant` takes.
func TestRolesInDutch(t *testing.T) {
	say := newServiceIn(t, text.Dutch)
	for _, tt := range []struct{ name, from, line, want string }{
		{"none held", "desk", "role", "Je hebt geen rollen"},
		{"usage", "admin", "role grant desk", "Schrijf `role grant <user> admin|partner|staff`"},
		{"not a role", "admin", "role grant desk boss", `"boss" is geen rol. Schrijf`},
		{"grant", "admin", "role grant desk partner", "desk heeft nu de rol partner."},
		{"grant again", "admin", "role grant desk staff", "desk heeft nu de rol staff."},
		{"own roles", "desk", "role", "Je rollen: partner en staff."},
		{"holders", "desk", "roles", "Rollen:\n  admin — console/local/@admin (ingesteld in TENDERBOT_ADMINS)\n  partner — console/local/@desk"},
		{"revoke", "admin", "role revoke desk staff", "desk heeft de rol staff niet meer."},
		{"revoke again", "admin", "role revoke desk staff", "desk heeft de rol staff niet"},
		{"admin's roles", "admin", "role", "Je rollen: admin."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: tt.from}
			if got := say(from, tt.line, nil); !strings.Contains(got, tt.want) {
				t.Errorf("%s: got %q, want %q in it", tt.line, got, tt.want)
			}
		})
	}
}
