package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// FetchPhoto downloads a photo a person sent (at most maxBytes; ctx
// bounds the time), as adapters do before storing its update when the
// platform's link expires. It returns the image's MIME type and bytes.
// Its errors never quote the URL (a signed link): only its host.
func FetchPhoto(ctx context.Context, hc *http.Client, rawURL string, maxBytes int64) (string, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", nil, errors.New("the photo URL is not an http(s) URL")
	}
	host := u.Host
	fail := func(err error) (string, []byte, error) {
		return "", nil, fmt.Errorf("download photo from %s: %w", host, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail(unquoteURL(err))
	}
	req.Header.Set("Accept", "image/*")
	resp, err := hc.Do(req)
	if err != nil {
		return fail(unquoteURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return fail(errors.New(resp.Status))
	}
	if resp.ContentLength > maxBytes {
		return fail(fmt.Errorf("%d bytes, more than %d", resp.ContentLength, maxBytes))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	switch {
	case err != nil:
		return fail(unquoteURL(err))
	case int64(len(data)) > maxBytes:
		return fail(fmt.Errorf("more than %d bytes", maxBytes))
	case len(data) == 0:
		return fail(errors.New("empty body"))
	}
	typ, err := imageType(resp.Header.Get("Content-Type"), data)
	if err != nil {
		return fail(err)
	}
	return typ, data, nil
}

// imageType is the MIME type of a downloaded photo: what its bytes say if
// they are a known image, else the server's image/* Content-Type (HEIC,
// say); anything else is refused.
func imageType(header string, data []byte) (string, error) {
	if sniffed := http.DetectContentType(data); strings.HasPrefix(sniffed, "image/") {
		return sniffed, nil
	}
	if ct, _, err := mime.ParseMediaType(header); err == nil && strings.HasPrefix(ct, "image/") {
		return ct, nil
	}
	return "", fmt.Errorf("not an image (%s)", http.DetectContentType(data))
}

// unquoteURL drops the URL a *url.Error quotes.
func unquoteURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
