package matching

import (
	"errors"

	"github.com/tenderbot/tenderbot/bot/text"
)

// unreadableError says why a value in a query cannot be read ("\"x\" is no
// amount"), as part of the message that names the field, in the reader's
// language.
type unreadableError struct{ why text.Msg }

func (e unreadableError) Error() string { return e.why.String() }

// unreadable is the error that says why.
func unreadable(why text.Msg) error { return unreadableError{why} }

// why is err as an argument of a message: said in the reader's language
// when it is unreadable's, as it is otherwise.
func why(err error) any {
	var u unreadableError
	if errors.As(err, &u) {
		return u.why
	}
	return err
}
