package bot

import "context"

// Reach says whether the bot can reach a workspace at all. bot/install
// implements it for a Slack app distributed to many workspaces: one that
// removed the app hears nothing until it adds the app again, so a notice
// makes no alert or digest item there, only to fail at its send.
type Reach interface {
	// Reaches reports whether deliveries to the workspace on platform can
	// be sent.
	Reaches(ctx context.Context, platform Platform, workspace string) (bool, error)
}

// reachable returns a check of whether a subscriber's workspace can be
// reached, asking b's Reach once a workspace however many subscribers are
// checked: one notice's recipients. A bot given no Reach reaches every
// workspace without checking.
func (b *Bot) reachable(ctx context.Context) func(Subscriber) (bool, error) {
	if b.reach == nil {
		return func(Subscriber) (bool, error) { return true, nil }
	}
	type workspace struct {
		platform Platform
		id       string
	}
	known := map[workspace]bool{}
	return func(s Subscriber) (bool, error) {
		w := workspace{s.Platform, s.Workspace}
		ok, seen := known[w]
		if seen {
			return ok, nil
		}
		ok, err := b.reach.Reaches(ctx, s.Platform, s.Workspace)
		if err != nil {
			return false, err
		}
		known[w] = ok
		return ok, nil
	}
}
