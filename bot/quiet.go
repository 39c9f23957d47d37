package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// QuietHours is a daily window in which instant alerts wait, as durations
// after local midnight; Start after End spans midnight (22:00–07:00).
type QuietHours struct {
	Start, End time.Duration
}

// Settings are a subscriber's preferences.
type Settings struct {
	Quiet *QuietHours // nil: alerts come at any hour
}

// until returns when the quiet window holding t ends, or t itself when t is
// outside it.
func (q QuietHours) until(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	y, m, d := local.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	now := local.Sub(midnight)
	switch {
	case q.Start == q.End:
		return t
	case q.Start < q.End: // 12:00–14:00
		if now >= q.Start && now < q.End {
			return midnight.Add(q.End)
		}
	default: // 22:00–07:00
		if now >= q.Start {
			return midnight.AddDate(0, 0, 1).Add(q.End)
		}
		if now < q.End {
			return midnight.Add(q.End)
		}
	}
	return t
}

func (q QuietHours) String() string {
	clock := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return clock(q.Start) + "-" + clock(q.End)
}

// parseQuietHours reads "22:00-07:00".
func parseQuietHours(s string) (QuietHours, error) {
	start, end, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	bad := Errorf(EINVALID, "Write quiet hours as `quiet 22:00-07:00` (from-to, 24-hour clock), or `quiet off`.")
	if !ok {
		return QuietHours{}, bad
	}
	var q QuietHours
	for i, part := range []string{start, end} {
		t, err := time.Parse("15:04", part)
		if err != nil {
			return QuietHours{}, bad
		}
		d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
		if i == 0 {
			q.Start = d
		} else {
			q.End = d
		}
	}
	if q.Start == q.End {
		return QuietHours{}, Errorf(EINVALID, "Quiet hours need different start and end times, e.g. `quiet 22:00-07:00`.")
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
		if err := b.managing(ctx, c, "Only the channel's managers and admins can change its quiet hours; everyone here can see them with `quiet here`."); err != nil {
			return Message{}, err
		}
	}
	switch {
	case args == "" && settings.Quiet == nil:
		return Message{Text: "No quiet hours: alerts come at any hour. Set them with `quiet 22:00-07:00`."}, nil
	case args == "":
		return Message{Text: fmt.Sprintf("Quiet hours %s (%s): instant alerts in them wait until they end. `quiet off` removes them.", settings.Quiet, b.location)}, nil
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
		return Message{Text: "Quiet hours removed: alerts come at any hour."}, nil
	}
	return Message{Text: fmt.Sprintf("Quiet hours set to %s (%s): instant alerts in them wait until they end.", settings.Quiet, b.location)}, nil
}
