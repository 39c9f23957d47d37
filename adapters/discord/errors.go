package discord

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
)

// minRetryAfter is the least a rate-limited send waits, should Discord say
// zero.
const minRetryAfter = 100 * time.Millisecond

// permanent names the JSON error codes after which a send can never
// succeed, and says why in words for the delivery's record.
var permanent = map[int]string{
	discordgo.ErrCodeUnknownChannel:               "the channel no longer exists",
	discordgo.ErrCodeUnknownUser:                  "the user no longer exists",
	discordgo.ErrCodeMissingAccess:                "the bot has no access to the channel (invite it, or give it View Channel)",
	discordgo.ErrCodeMissingPermissions:           "the bot lacks a permission in the channel (Send Messages, Embed Links)",
	discordgo.ErrCodeCannotSendMessagesToThisUser: "the user does not accept direct messages from the bot (they share no server with it, or turned DMs off)",
}

// classify turns an error from discordgo into what the outbox acts on: a
// *bot.RetryAfterError for a 429, with the delay from the body's
// retry_after; a *bot.PermanentError for the codes in permanent; otherwise
// the error, wrapped with what was being done, to be retried with backoff.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var limited *discordgo.RateLimitError
	if errors.As(err, &limited) {
		wait := max(limited.RetryAfter, minRetryAfter)
		return &bot.RetryAfterError{RetryAfter: wait, Err: fmt.Errorf("discord: %s: rate limited for %s", op, wait)}
	}
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Message != nil {
		if reason, ok := permanent[rest.Message.Code]; ok {
			return &bot.PermanentError{Err: fmt.Errorf("discord: %s: %s (code %d)", op, reason, rest.Message.Code)}
		}
	}
	return fmt.Errorf("discord: %s: %w", op, redact(err))
}

// restCode returns the JSON error code of a REST error, 0 for none.
func restCode(err error) int {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Message != nil {
		return rest.Message.Code
	}
	return 0
}

// redact keeps URLs out of errors: an interaction's webhook URL carries its
// token, and discordgo's rate-limit and transport errors name the URL.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		host := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
		return fmt.Errorf("%s %s: %w", ue.Op, host, ue.Err)
	}
	var limited *discordgo.RateLimitError
	if errors.As(err, &limited) {
		return fmt.Errorf("rate limited, retry after %s", limited.RetryAfter)
	}
	return err
}
