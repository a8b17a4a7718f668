package inbox

import "errors"

// ErrUnavailable is in the chain of an error when a platform could not be
// reached, or answered that it is failing (5xx, 429): the same call may
// succeed later. A refused token is not such an error.
var ErrUnavailable = errors.New("platform unavailable")

// Unavailable marks err with ErrUnavailable, keeping its text.
func Unavailable(err error) error {
	if err == nil {
		return nil
	}
	return unavailableError{err}
}

type unavailableError struct{ error }

func (e unavailableError) Unwrap() []error { return []error{e.error, ErrUnavailable} }
