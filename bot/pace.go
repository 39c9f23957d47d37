package bot

import "time"

// Rate is a number of events per period.
type Rate struct {
	Events int
	Per    time.Duration
}

// RateLimits are a platform's published sending limits.
type RateLimits struct {
	PerConversation Rate // e.g. Slack: 1 per second per channel; Discord: 5 per 5 s
	Global          Rate // e.g. Discord: 50 per second; zero: none
}

// Paced is implemented by messengers whose platform limits how fast the bot
// may send. The outbox keeps under those limits itself, so that a 429 is
// rare, and when one comes it reschedules by its retry-after.
type Paced interface {
	RateLimits() RateLimits
}
