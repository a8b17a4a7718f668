package outbox_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// A message of several parts that fails halfway resumes after the parts
// delivered; a failure a retry cannot help forgets them.
func TestPartsResume(t *testing.T) {
	var p outbox.Parts
	var got []int
	failAt := 2
	send := func(i int) error {
		if i == failAt {
			failAt = -1
			return errors.New("timeout")
		}
		got = append(got, i)
		return nil
	}
	if err := p.Send(7, 4, send); err == nil || p.Pending() != 1 {
		t.Fatalf("first try: %v, %d pending", err, p.Pending())
	}
	if err := p.Send(7, 4, send); err != nil || p.Pending() != 0 {
		t.Fatalf("retry: %v, %d pending", err, p.Pending())
	}
	if want := []int{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("sent parts %v, want %v", got, want)
	}

	for _, tc := range []struct {
		name string
		err  error
		id   int64
		keep bool
	}{
		{"transient", errors.New("timeout"), 8, true},
		{"unreachable", &outbox.DeliveryError{Err: errors.New("blocked"), Unreachable: true}, 9, false},
		{"permanent", &outbox.DeliveryError{Err: errors.New("bad"), Permanent: true}, 10, false},
		{"no row", errors.New("timeout"), 0, false},
	} {
		var p outbox.Parts
		err := p.Send(tc.id, 3, func(i int) error {
			if i == 1 {
				return tc.err
			}
			return nil
		})
		if !errors.Is(err, tc.err) || (p.Pending() == 1) != tc.keep {
			t.Errorf("%s: %v, %d pending", tc.name, err, p.Pending())
		}
	}
	// A failure of the first part has nothing to resume after.
	var first outbox.Parts
	if err := first.Send(11, 3, func(int) error { return errors.New("timeout") }); err == nil || first.Pending() != 0 {
		t.Errorf("first part: %v, %d pending", err, first.Pending())
	}
}
