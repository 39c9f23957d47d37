package bot

import (
	"context"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// commandLanguage is the language to answer c in: what its sender chose,
// else what their chat reports, else the workspace's default. A locale the
// chat reports anew is remembered, for the alerts written to them later;
// a store that cannot say leaves the reply in the chat's locale.
func (b *Bot) commandLanguage(ctx context.Context, c Command) text.Language {
	settings, ok := b.readSettings(ctx, c.From)
	if !ok {
		return text.Pick(c.Locale, string(b.language))
	}
	if c.Locale != "" && c.Locale != settings.Locale {
		settings.Locale = c.Locale
		if err := b.store.SaveSettings(ctx, c.From, settings); err != nil {
			b.log.Warn("locale not remembered", "subscriber", c.From.Key(), "err", err)
		}
	}
	return b.languageOf(settings)
}

// printerOf speaks the language of s, as they chose it or their chat last
// reported it: for answers to forms and buttons, which carry no locale.
func (b *Bot) printerOf(ctx context.Context, s Subscriber) text.Printer {
	return text.For(b.LanguageFor(ctx, s, ""))
}

// LanguageFor is the language to speak to sub in words an adapter writes
// without a message of the core in hand (a form's title, its buttons, a
// refusal before the core is asked): what they chose with `language`,
// else locale (what their chat reports now), else what their chat
// reported before, else the workspace's default. Unlike a command it
// remembers nothing; a store that cannot say leaves the chat's locale.
func (b *Bot) LanguageFor(ctx context.Context, sub Subscriber, locale string) text.Language {
	settings, ok := b.readSettings(ctx, sub)
	if !ok {
		return text.Pick(locale, string(b.language))
	}
	if locale != "" {
		settings.Locale = locale
	}
	return b.languageOf(settings)
}

// readSettings reads sub's settings for the language to speak to them;
// false when there is no store (a Bot that only helps, as in the
// adapters' tests), sub is nobody the store could know, or the store
// cannot say (logged).
func (b *Bot) readSettings(ctx context.Context, sub Subscriber) (Settings, bool) {
	if b.store == nil || sub.Validate() != nil {
		return Settings{}, false
	}
	settings, err := b.store.Settings(ctx, sub)
	if err != nil {
		b.log.Warn("settings unread; speaking the chat's language", "subscriber", sub.Key(), "err", err)
		return Settings{}, false
	}
	return settings, true
}

// languageOf is the language a subscriber with these settings reads.
func (b *Bot) languageOf(s Settings) text.Language { return s.LanguageOr(b.language) }

// LanguageOr is the language a subscriber with these settings reads: the
// one they chose, else the one their chat reported, else fallback (the
// workspace's default).
func (s Settings) LanguageOr(fallback text.Language) text.Language {
	return text.Pick(string(s.Language), s.Locale, string(fallback))
}

// language shows or sets the language the bot speaks to the person or,
// with "here", in the channel.
func (b *Bot) languageCommand(ctx context.Context, c Command, args string) (Message, error) {
	to, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	settings, err := b.store.Settings(ctx, to)
	if err != nil {
		return Message{}, err
	}
	args = strings.TrimSpace(args)
	if args == "" {
		p := text.For(b.languageOf(settings))
		return Message{Text: p.Sprintf("I speak %s here. Choose with `language nl` (Nederlands) or `language en` (English).", p.Language().Name())}, nil
	}
	chosen, ok := text.Parse(args)
	if !ok {
		return Message{}, Errorf(EINVALID, "I speak English and Dutch: write `language en` or `language nl`.")
	}
	if to.Channel != "" {
		if err := b.managing(ctx, c, Errorf(EINVALID, "Only the channel's managers and admins can change the language of its alerts.")); err != nil {
			return Message{}, err
		}
	}
	settings.Language = chosen
	if err := b.store.SaveSettings(ctx, to, settings); err != nil {
		return Message{}, err
	}
	p := text.For(chosen)
	reply := p.Sprintf("From now on I speak %s to you.", chosen.Name())
	if to.Channel != "" {
		reply = p.Sprintf("From now on I speak %s in this channel.", chosen.Name())
	}
	return Message{Text: reply, Language: chosen}, nil
}
