package report

import (
	"bytes"
	"image/png"
	"testing"
)

func TestQRPNG(t *testing.T) {
	data, err := QRPNG("00020101021238570010A000000727012700069704360113VCB1234567890208QRIBFTTA53037045802VN6304ABCD")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode QR as PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != qrSize || b.Dy() != qrSize {
		t.Fatalf("QR image is %dx%d, want %dx%d", b.Dx(), b.Dy(), qrSize, qrSize)
	}
}
