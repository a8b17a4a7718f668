package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MaxMediaSize is the largest file PutMedia stores (adapters cap their
// downloads lower).
const MaxMediaSize = 20 << 20

// ErrMediaNotFound is returned by Media for an id that is not stored.
var ErrMediaNotFound = errors.New("media not found")

// PutMedia stores a file received on platform and returns its id; an
// update refers to it as cd.MediaRef(id).
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
