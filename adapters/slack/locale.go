package slack

import (
	"context"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// How long a person's locale, as users.info reports it, is taken as it
// was: a person rarely changes Slack's language, and asking on every
// message would spend the method's rate limit.
const (
	localeTTL        = time.Hour
	localeFailureTTL = time.Minute // after an error: asked again soon
	maxLocales       = 50000       // past it, expired entries are swept out
)

// locales remembers each person's Slack locale for a while.
type locales struct {
	mu     sync.Mutex
	byUser map[string]localeEntry // team + ":" + user
}

type localeEntry struct {
	locale  string
	expires time.Time
}

func (l *locales) get(key string, now time.Time) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byUser[key]
	if !ok || !now.Before(e.expires) {
		return "", false
	}
	return e.locale, true
}

func (l *locales) put(key, locale string, expires, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byUser == nil {
		l.byUser = map[string]localeEntry{}
	}
	if len(l.byUser) >= maxLocales {
		for k, e := range l.byUser {
			if !now.Before(e.expires) {
				delete(l.byUser, k)
			}
		}
	}
	l.byUser[key] = localeEntry{locale: locale, expires: expires}
}

// userLocale is the locale Slack reports for a person ("nl-NL", "en-US"),
// asked with users.info and include_locale, and remembered for an hour;
// "" when Slack cannot say, and the core then answers in the language the
// person chose or the workspace's.
func (s *Slack) userLocale(ctx context.Context, team, user string) string {
	if user == "" {
		return ""
	}
	now := s.opts.Now()
	key := team + ":" + user
	if locale, ok := s.locales.get(key, now); ok {
		return locale
	}
	api, err := s.web(ctx, team)
	if err != nil {
		s.log.Debug("users.info impossible; no locale", "user", user, "err", err)
		return ""
	}
	u, err := api.GetUserInfoContext(ctx, user, slackapi.GetUserInfoOptionIncludeLocale(true))
	s.rememberLocale(team, user, u, err)
	if err != nil {
		s.log.Debug("users.info failed; no locale", "user", user, "err", err)
		return ""
	}
	return u.Locale
}

// rememberLocale keeps the locale a users.info reported (u, or the error
// it failed with, remembered for less long), also when it was asked for
// another reason, so the reply's language costs no second call.
func (s *Slack) rememberLocale(team, user string, u *slackapi.User, err error) {
	now := s.opts.Now()
	if err != nil || u == nil {
		s.locales.put(team+":"+user, "", now.Add(localeFailureTTL), now)
		return
	}
	s.locales.put(team+":"+user, u.Locale, now.Add(localeTTL), now)
}

// userPrinter speaks a person's language, for what the app says itself
// where no message of the core comes with it: a modal's title and
// buttons. The core decides it from what they chose with `language` and
// the locale Slack reports; before Run there is only the locale.
func (s *Slack) userPrinter(ctx context.Context, team, user string) text.Printer {
	locale := s.userLocale(ctx, team, user)
	core := s.currentCore()
	if core == nil {
		return text.For(text.Pick(locale))
	}
	return text.For(core.LanguageFor(ctx, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: team, User: user}, locale))
}
