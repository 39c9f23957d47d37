package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tenderbot/tenderbot/bot/daytime"
	"github.com/tenderbot/tenderbot/bot/text"
)

// QuietHours is a daily window in which instant alerts wait; Start after
// End spans midnight (22:00-07:00).
type QuietHours = daytime.Span

// Settings are a subscriber's preferences.
type Settings struct {
	Quiet *QuietHours // nil: alerts come at any hour
	// Language is the language the subscriber chose (`language nl`), ""
	// for none; Locale is the one their chat last reported for them
	// (Command.Locale), "" for none. The bot speaks the first of them it
	// can, else the workspace's default.
	Language text.Language
	Locale   string
}

// parseQuietHours reads "22:00-07:00".
func parseQuietHours(s string) (QuietHours, error) {
	q, err := daytime.ParseSpan(s)
	switch {
	case errors.Is(err, daytime.ErrSpanEmpty):
		return q, Errorf(EINVALID, "Quiet hours need different start and end times, e.g. `quiet 22:00-07:00`.")
	case err != nil:
		return q, Errorf(EINVALID, "Write quiet hours as `quiet 22:00-07:00` (from-to, 24-hour clock), or `quiet off`.")
	}
	return q, nil
}

// quiet shows or sets the quiet hours of the person or, with "here", the
// channel.
func (b *Bot) quiet(ctx context.Context, c Command, args string) (Message, error) {
	to, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	settings, err := b.store.Settings(ctx, to)
	if err != nil {
		return Message{}, fmt.Errorf("settings: %w", err)
	}
	args = strings.TrimSpace(args)
	if to.Channel != "" && args != "" {
		if err := b.managing(ctx, c, Errorf(EINVALID, "Only the channel's managers and admins can change its quiet hours; everyone here can see them with `quiet here`.")); err != nil {
			return Message{}, err
		}
	}
	pr := c.Printer()
	switch {
	case args == "" && settings.Quiet == nil:
		return Message{Text: pr.Sprintf("No quiet hours: alerts come at any hour. Set them with `quiet 22:00-07:00`.")}, nil
	case args == "":
		return Message{Text: pr.Sprintf("Quiet hours %s (%s): instant alerts in them wait until they end. `quiet off` removes them.", settings.Quiet, b.location)}, nil
	case strings.EqualFold(args, "off"):
		settings.Quiet = nil
	default:
		q, err := parseQuietHours(args)
		if err != nil {
			return Message{}, err
		}
		settings.Quiet = &q
	}
	if err := b.store.SaveSettings(ctx, to, settings); err != nil {
		return Message{}, fmt.Errorf("save settings: %w", err)
	}
	if settings.Quiet == nil {
		return Message{Text: pr.Sprintf("Quiet hours removed: alerts come at any hour.")}, nil
	}
	return Message{Text: pr.Sprintf("Quiet hours set to %s (%s): instant alerts in them wait until they end.", settings.Quiet, b.location)}, nil
}
