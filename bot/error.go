package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// Error codes. The edges translate them: a chat reply, an HTTP status, a log
// line.
const (
	EINVALID  = "invalid"   // the input is malformed; the message says how to fix it
	ENOTFOUND = "not_found" // the thing asked for does not exist
	ECONFLICT = "conflict"  // the thing exists already
	ELIMIT    = "limit"     // a quota was reached
	EINTERNAL = "internal"  // our fault; details are in the log, never in chat
)

// Error is an error meant for a person: Message is written for whoever reads
// the reply and says what would work instead.
type Error struct {
	Code    string
	Message string
	// Field names the form field the error is about (see ProfileForm),
	// "" when it is about no single field.
	Field string
	// format and args are Message before formatting, to say it in another
	// language (ErrorText); format is a message id of bot/text.
	format string
	args   []any
}

func (e *Error) Error() string {
	return fmt.Sprintf("bot error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-facing message of the *Error in err's chain,
// and a generic apology for any other error so internal detail never reaches
// chat.
func ErrorMessage(err error) string { return ErrorText(text.Printer{}, err) }

// ErrorText is ErrorMessage in p's language.
func ErrorText(p text.Printer, err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case !errors.As(err, &e):
		return p.Sprintf("Something went wrong on our side; it has been logged. Please try again in a minute.")
	case e.format == "":
		return strings.ToValidUTF8(e.Message, "\uFFFD")
	}
	// The arguments may quote what a person typed, which may not be UTF-8.
	return strings.ToValidUTF8(p.Sprintf(e.format, e.args...), "\uFFFD")
}

// RetryAfterError reports that a platform refused a send for now and said when
// to try again. Messengers return it for rate limits; the outbox reschedules
// the delivery by RetryAfter instead of sleeping or dropping it.
type RetryAfterError struct {
	RetryAfter time.Duration
	Err        error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.RetryAfter, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// PermanentError reports a send that can never succeed (unknown channel, user
// cannot be messaged). The outbox marks the delivery failed with the reason.
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

func (e *PermanentError) Unwrap() error { return e.Err }

// ErrorField returns the form field the *Error in err's chain is about, ""
// when none.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
