package report

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the side of a VietQR image in pixels: enough for a phone
// camera to read from a screen.
const qrSize = 512

// QRPNG draws a QR code of payload (a VietQR payment payload) as a PNG
// image, qrSize pixels square, at the medium error-correction level.
func QRPNG(payload string) ([]byte, error) {
	png, err := qrcode.Encode(payload, qrcode.Medium, qrSize)
	if err != nil {
		return nil, fmt.Errorf("draw VietQR code: %w", err)
	}
	return png, nil
}
