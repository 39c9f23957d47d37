// Package email is the bot's side of people who take part without chat:
// they registered on an event's public page and hear from the bot by
// e-mail, as subscribers on the platform Platform whose user is their
// address.
package email

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/tenderbot/tenderbot/bot"
)

// Platform is the platform of people who registered for an event on its
// public page instead of in chat: they hear from the bot by e-mail.
const Platform bot.Platform = "email"

// emailWorkspace is the one workspace of e-mail registrants.
const emailWorkspace = "web"

// Subscriber is the person reached at addr, an address that Parse
// accepted.
func Subscriber(addr string) bot.Subscriber {
	return bot.Subscriber{Platform: Platform, Workspace: emailWorkspace, User: addr}
}

// Parse reads an e-mail address as a person types it into a form and
// returns it in the form the bot keeps: trimmed and lower-cased, so the
// same person registering twice is one registration. It accepts a bare
// address only (no display name, no comments, no quoted local part) whose
// domain has a dot, and returns EINVALID saying what to fix otherwise.
func Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", bot.Errorf(bot.EINVALID, "Give your e-mail address, such as name@company.nl.")
	case len(s) > 254:
		return "", bot.Errorf(bot.EINVALID, "That e-mail address is longer than an address can be (254 characters).")
	case strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>()[]\",;:`, r)
	}):
		return "", bot.Errorf(bot.EINVALID, "An e-mail address has no spaces, brackets, quotes, commas or colons; write it as name@company.nl.")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return "", bot.Errorf(bot.EINVALID, "%q is not an e-mail address; write it as name@company.nl.", s)
	}
	if len(local) > 64 {
		return "", bot.Errorf(bot.EINVALID, "The part before the @ is longer than an address allows (64 characters).")
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", bot.Errorf(bot.EINVALID, "%q has no domain such as company.nl after the @.", s)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.ContainsFunc(l, func(r rune) bool { return r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			return "", bot.Errorf(bot.EINVALID, "%q: the domain after the @ is not a domain name such as company.nl.", s)
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", bot.Errorf(bot.EINVALID, "%q is not an e-mail address; write it as name@company.nl.", s)
	}
	return strings.ToLower(s), nil
}
