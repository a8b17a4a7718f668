package storage_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/congdoanbot/congdoanbot/storage"
)

func TestMedia(t *testing.T) {
	db, path := openDB(t)
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 255}, 1000)...)
	id, err := db.PutMedia(ctx, "zalo", "image/png", png)
	if err != nil || id <= 0 {
		t.Fatalf("PutMedia = %d, %v", id, err)
	}
	id2, err := db.PutMedia(ctx, "zalo", "image/jpeg", []byte{0xff, 0xd8, 0xff})
	if err != nil || id2 == id {
		t.Fatalf("second PutMedia = %d, %v", id2, err)
	}
	mime, data, err := db.Media(ctx, id)
	if err != nil || mime != "image/png" || !bytes.Equal(data, png) {
		t.Fatalf("Media = %q, %d bytes, %v", mime, len(data), err)
	}

	// Kept across a reopen (a restart).
	db.Close()
	db2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, data, err := db2.Media(ctx, id); err != nil || !bytes.Equal(data, png) {
		t.Fatalf("after reopen: %d bytes, %v", len(data), err)
	}

	if err := db2.DeleteMedia(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db2.Media(ctx, id); !errors.Is(err, storage.ErrMediaNotFound) {
		t.Fatalf("deleted media: %v", err)
	}
	if err := db2.DeleteMedia(ctx, id); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, _, err := db2.Media(ctx, 999); !errors.Is(err, storage.ErrMediaNotFound) {
		t.Fatalf("unknown media: %v", err)
	}
	if _, data, err := db2.Media(ctx, id2); err != nil || len(data) != 3 {
		t.Fatalf("the other file: %d bytes, %v", len(data), err)
	}

	for _, tc := range []struct {
		name           string
		platform, mime string
		data           []byte
	}{
		{"empty", "zalo", "image/png", nil},
		{"no platform", "", "image/png", png},
		{"no mime", "zalo", "", png},
		{"too big", "zalo", "image/png", make([]byte, storage.MaxMediaSize+1)},
	} {
		if _, err := db2.PutMedia(ctx, tc.platform, tc.mime, tc.data); err == nil {
			t.Errorf("%s: stored", tc.name)
		}
	}
}
