package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MediaPrefix starts a reference to stored media, "media:<id>": what a
// platform adapter puts in an update's photo when the platform's own link
// to it does not last (Zalo), and what an activity keeps as its photo.
const MediaPrefix = "media:"

// MaxMediaSize is the largest file PutMedia stores (adapters cap their
// downloads lower).
const MaxMediaSize = 20 << 20

// ErrMediaNotFound is returned by Media for an id that is not stored.
var ErrMediaNotFound = errors.New("media not found")

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

// PutMedia stores a file received on platform and returns its id.
func (db *DB) PutMedia(ctx context.Context, platform, mime string, data []byte) (int64, error) {
	switch {
	case platform == "" || mime == "":
		return 0, errors.New("store media: platform and MIME type are required")
	case len(data) == 0:
		return 0, errors.New("store media: the file is empty")
	case len(data) > MaxMediaSize:
		return 0, fmt.Errorf("store media: %d bytes, more than %d", len(data), MaxMediaSize)
	}
	var id int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO media (platform, mime, data, size, created_at)
			VALUES (?, ?, ?, ?, ?)`, platform, mime, data, len(data), fmtTime(tx.now))
		if err != nil {
			return fmt.Errorf("store media of %s: %w", platform, err)
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// Media returns a stored file, or an error wrapping ErrMediaNotFound.
func (db *DB) Media(ctx context.Context, id int64) (mime string, data []byte, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT mime, data FROM media WHERE id = ?`, id).Scan(&mime, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("media %d: %w", id, ErrMediaNotFound)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read media %d: %w", id, err)
	}
	return mime, data, nil
}

// DeleteMedia deletes a stored file; deleting one that is not there is
// not an error. Adapters use it for a file stored for an update that
// turned out to be a duplicate.
func (db *DB) DeleteMedia(ctx context.Context, id int64) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, id); err != nil {
		return classify(fmt.Errorf("delete media %d: %w", id, err))
	}
	return nil
}
