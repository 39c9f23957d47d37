package bot

import "fmt"

// Platform names a chat platform.
type Platform string

// The chat platforms tenderbot speaks.
const (
	PlatformConsole Platform = "console"
	PlatformSlack   Platform = "slack"
	PlatformDiscord Platform = "discord"
)

// Subscriber is who receives alerts: a person (User set) or a channel
// (Channel set) in one workspace of one platform. A workspace is a Slack team
// or a Discord guild; the console has a single workspace.
type Subscriber struct {
	Platform  Platform
	Workspace string
	User      string
	Channel   string
}

// Key is the subscriber's stable identity, used in idempotency keys.
func (s Subscriber) Key() string {
	if s.Channel != "" {
		return fmt.Sprintf("%s/%s/#%s", s.Platform, s.Workspace, s.Channel)
	}
	return fmt.Sprintf("%s/%s/@%s", s.Platform, s.Workspace, s.User)
}

// Validate reports whether the subscriber names exactly one recipient.
func (s Subscriber) Validate() error {
	switch {
	case s.Platform == "":
		return Errorf(EINVALID, "subscriber has no platform")
	case (s.User == "") == (s.Channel == ""):
		return Errorf(EINVALID, "subscriber must be a user or a channel, not both or neither")
	}
	return nil
}
