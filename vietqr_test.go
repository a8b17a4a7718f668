package congdoanbot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

type emvTLV struct{ id, value string }

// parseTLV splits an EMVCo payload into its data objects: two-digit ID,
// two-digit length, value.
func parseTLV(s string) ([]emvTLV, error) {
	var out []emvTLV
	for len(s) > 0 {
		if len(s) < 4 {
			return nil, fmt.Errorf("short header %q", s)
		}
		n, err := strconv.Atoi(s[2:4])
		if err != nil || len(s) < 4+n {
			return nil, fmt.Errorf("bad length in %q", s)
		}
		out = append(out, emvTLV{s[:2], s[4 : 4+n]})
		s = s[4+n:]
	}
	return out, nil
}

func tlvIDs(fs []emvTLV) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.id)
	}
	return ids
}

func tlvMap(t *testing.T, s string) map[string]string {
	t.Helper()
	fs, err := parseTLV(s)
	if err != nil {
		t.Fatalf("parseTLV(%q): %v", s, err)
	}
	m := make(map[string]string)
	for _, f := range fs {
		m[f.id] = f.value
	}
	return m
}

func TestCRC16CCITTFalse(t *testing.T) {
	// The standard check value of CRC-16/CCITT-FALSE (CRC-16/IBM-3740).
	if got := crc16CCITTFalse([]byte("123456789")); got != 0x29B1 {
		t.Errorf("crc16CCITTFalse(123456789) = %04X; want 29B1", got)
	}
	// The example payload of the NAPAS VietQR specification (a transfer to
	// a card, QRIBFTTC), as quoted in public test suites.
	const napas = "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC" +
		"530370454061800005802VN62340107NPS68690819thanh toan don hang6304"
	if got := crc16CCITTFalse([]byte(napas)); got != 0xA203 {
		t.Errorf("crc16CCITTFalse(NAPAS example) = %04X; want A203", got)
	}
}

// Known-good payloads, made by other generators and scanned by banking apps.
func TestVietQRKnownPayloads(t *testing.T) {
	// From the README of github.com/subiz/vietqr: 120.000 đ to VietinBank
	// (BIN 970415) account 0011001932418, memo "ủng hộ lũ lụt". That
	// library keeps the memo in lower case; VietQRPayload upper-cases it,
	// so the exact string is checked against buildVietQR.
	const subiz = "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA" +
		"530370454061200005802VN62170813ung ho lu lut6304C15C"
	if got := buildVietQR("970415", "0011001932418", 120_000, "ung ho lu lut"); got != subiz {
		t.Errorf("buildVietQR = %q\nwant          %q", got, subiz)
	}
	// A payOS (payos.vn) checkout code: 7.000 đ to MB (BIN 970422) virtual
	// account VQRQADAIJ5512, memo "TL89 100"; it shows that accounts may
	// hold letters.
	const payos = "00020101021238570010A000000727012700069704220113VQRQADAIJ55120208QRIBFTTA" +
		"5303704540470005802VN62120808TL89 1006304E346"
	got, err := VietQRPayload("970422", "VQRQADAIJ5512", 7_000, "TL89 100")
	if err != nil || got != payos {
		t.Errorf("VietQRPayload = %q, %v\nwant            %q", got, err, payos)
	}
}

func TestVietQRFields(t *testing.T) {
	p, err := VietQRPayload(" 970436 ", "1023456789", 1_500_000, "  Ủng hộ   đoàn viên 123 ")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := parseTLV(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(tlvIDs(fs), " "), "00 01 38 53 54 58 62 63"; got != want {
		t.Errorf("IDs %s; want %s", got, want)
	}
	top := tlvMap(t, p)
	for id, want := range map[string]string{"00": "01", "01": "12", "53": "704", "54": "1500000", "58": "VN"} {
		if top[id] != want {
			t.Errorf("ID %s = %q; want %q", id, top[id], want)
		}
	}
	mai := tlvMap(t, top["38"])
	if got, want := strings.Join(tlvIDs(mustTLV(t, top["38"])), " "), "00 01 02"; got != want {
		t.Errorf("38: IDs %s; want %s", got, want)
	}
	if mai["00"] != "A000000727" || mai["02"] != "QRIBFTTA" {
		t.Errorf("38: %q", top["38"])
	}
	ben := tlvMap(t, mai["01"])
	if ben["00"] != "970436" || ben["01"] != "1023456789" || len(ben) != 2 {
		t.Errorf("38/01: %q", mai["01"])
	}
	add := tlvMap(t, top["62"])
	if add["08"] != "UNG HO DOAN VIEN 123" || len(add) != 1 {
		t.Errorf("62: %q", top["62"])
	}
	body, sum := p[:len(p)-4], p[len(p)-4:]
	if !strings.HasSuffix(body, "6304") {
		t.Errorf("payload does not end with 6304 and the CRC: %q", p)
	}
	if want := fmt.Sprintf("%04X", crc16CCITTFalse([]byte(body))); sum != want {
		t.Errorf("CRC %s; want %s", sum, want)
	}
}

func mustTLV(t *testing.T, s string) []emvTLV {
	t.Helper()
	fs, err := parseTLV(s)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestVietQRStatic(t *testing.T) {
	p, err := VietQRPayload("970415", "0011001932418", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(tlvIDs(mustTLV(t, p)), " "), "00 01 38 53 58 63"; got != want {
		t.Errorf("IDs %s; want %s", got, want)
	}
	if m := tlvMap(t, p); m["01"] != "11" {
		t.Errorf("point of initiation %q; want 11", m["01"])
	}
}

func TestVietQRInvalid(t *testing.T) {
	long := strings.Repeat("A", 26)
	cases := []struct {
		bin, account string
		amount       int64
		memo         string
		reason       Reason
	}{
		{"97041", "123", 1, "", ReasonQRBankBIN},
		{"9704155", "123", 1, "", ReasonQRBankBIN},
		{"97041a", "123", 1, "", ReasonQRBankBIN},
		{"", "123", 1, "", ReasonQRBankBIN},
		{"970415", "", 1, "", ReasonQRAccount},
		{"970415", "12345678901234567890", 1, "", ReasonQRAccount},
		{"970415", "0011-0019", 1, "", ReasonQRAccount},
		{"970415", "0011 0019", 1, "", ReasonQRAccount},
		{"970415", "tàikhoản", 1, "", ReasonQRAccount},
		{"970415", "123", -1, "", ReasonQRAmount},
		{"970415", "123", VietQRAmountMax + 1, "", ReasonQRAmount},
		{"970415", "123", 1, "ủng hộ 🙂", ReasonQRMemo},
		{"970415", "123", 1, "quỹ 互助", ReasonQRMemo},
		{"970415", "123", 1, "a\x00b", ReasonQRMemo},
		{"970415", "123", 1, long, ReasonQRMemoLength},
		{"970415", "123", 1, "Đoàn phí quý một năm hai nghìn", ReasonQRMemoLength},
	}
	for _, tc := range cases {
		p, err := VietQRPayload(tc.bin, tc.account, tc.amount, tc.memo)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Reason != tc.reason || p != "" {
			t.Errorf("VietQRPayload(%q, %q, %d, %q) = %q, %v; want reason %s", tc.bin, tc.account, tc.amount, tc.memo, p, err, tc.reason)
		}
	}
	// The limits themselves are accepted.
	ok := []struct {
		account string
		amount  int64
		memo    string
	}{
		{"1234567890123456789", VietQRAmountMax, strings.Repeat("A", 25)},
		{"a1", 1, "Đoàn phí quý I/2025 - #12"},
	}
	for _, tc := range ok {
		p, err := VietQRPayload("970415", tc.account, tc.amount, tc.memo)
		if err != nil {
			t.Errorf("VietQRPayload(%q, %d, %q): %v", tc.account, tc.amount, tc.memo, err)
			continue
		}
		if _, err := parseTLV(p); err != nil {
			t.Errorf("VietQRPayload(%q, %d, %q) = %q: %v", tc.account, tc.amount, tc.memo, p, err)
		}
	}
}

func TestVietQRMemo(t *testing.T) {
	for in, want := range map[string]string{
		"uh 123":            "UH 123",
		"Ủng hộ lũ lụt":     "UNG HO LU LUT",
		"  Đoàn\tphí\n Q1 ": "DOAN PHI Q1",
		"":                  "",
	} {
		if got, err := VietQRMemo(in); err != nil || got != want {
			t.Errorf("VietQRMemo(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
