package congdoanbot

import (
	"strconv"
	"strings"
)

// InboxItem is an update received from a platform and not yet applied:
// the platform's payload as it came, kept until the core has applied it.
type InboxItem struct {
	ID        int64
	Platform  string
	UpdateKey string // the platform's id of the update: a second one is a duplicate
	ChatKey   string // the chat it came from, which keeps its updates in order
	Payload   []byte
}

// InboxEntry is one received update to store.
type InboxEntry struct {
	Key, ChatKey string
	Payload      []byte
}

// MediaPrefix starts a reference to stored media, "media:<id>": what a
// platform adapter puts in an update's photo when the platform's own link
// to it does not last (Zalo), and what an activity keeps as its photo.
const MediaPrefix = "media:"

// MediaRef is the reference of stored media id: "media:<id>".
func MediaRef(id int64) string { return MediaPrefix + strconv.FormatInt(id, 10) }

// ParseMediaRef reads a MediaRef; ok is false for any other reference (a
// Telegram file_id, say).
func ParseMediaRef(ref string) (id int64, ok bool) {
	s, found := strings.CutPrefix(ref, MediaPrefix)
	if !found {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, false
	}
	return id, true
}
