package congdoanbot

import (
	"fmt"
	"strconv"
	"strings"
)

// Reasons for refusing the input of a VietQR payload.
const (
	ReasonQRBankBIN    Reason = "vietqr.bank_bin"    // not 6 digits
	ReasonQRAccount    Reason = "vietqr.account"     // not 1–19 digits or letters
	ReasonQRAmount     Reason = "vietqr.amount"      // negative, or more than 13 digits
	ReasonQRMemo       Reason = "vietqr.memo"        // characters outside printable ASCII once folded
	ReasonQRMemoLength Reason = "vietqr.memo_length" // longer than VietQRMemoMax once folded
)

// VietQR limits, from the EMVCo field lengths used by NAPAS.
const (
	VietQRAccountMax = 19                // ID 38/01/01, ans up to 19
	VietQRMemoMax    = 25                // ID 62/08, ans up to 25
	VietQRAmountMax  = 9_999_999_999_999 // ID 54, up to 13 characters
)

// VietQRPayload builds the text of a VietQR code (NAPAS 247, on the EMVCo
// merchant-presented QR format) for a transfer to a bank account:
//
//	00 payload format "01"
//	01 point of initiation: "12" (dynamic) with an amount, "11" (static) without
//	38 merchant account: 00 GUID "A000000727", 01 beneficiary (00 BIN,
//	   01 account), 02 service "QRIBFTTA" (transfer to an account)
//	53 currency "704" (VND)
//	54 amount in whole đồng, only when amount > 0
//	58 country "VN"
//	62 additional data: 08 purpose of transaction (the memo), only when
//	   the memo is not empty
//	63 CRC-16/CCITT-FALSE of everything before it, "6304" included
//
// bankBIN is the 6-digit NAPAS BIN of the bank (970415 is VietinBank).
// account is 1–19 digits or letters; lower-case letters are upper-cased.
// The memo is folded like Fold (diacritics removed, spaces collapsed) and
// upper-cased: "Ủng hộ 123" becomes "UNG HO 123". It must then be printable
// ASCII of at most 25 characters. amount 0 makes a code in which the payer
// types the amount.
func VietQRPayload(bankBIN, account string, amount int64, memo string) (string, error) {
	bin := strings.TrimSpace(bankBIN)
	if len(bin) != 6 || !moneyAllDigits(bin) {
		return "", Errorf(EINVALID, ReasonQRBankBIN, "%q", bankBIN)
	}
	acct := strings.ToUpper(strings.TrimSpace(account))
	if len(acct) == 0 || len(acct) > VietQRAccountMax || !vietQRAccountOK(acct) {
		return "", Errorf(EINVALID, ReasonQRAccount, "%q", account)
	}
	if amount < 0 || amount > VietQRAmountMax {
		return "", Errorf(EINVALID, ReasonQRAmount, "%d", amount)
	}
	m, err := VietQRMemo(memo)
	if err != nil {
		return "", err
	}
	return buildVietQR(bin, acct, amount, m), nil
}

// VietQRMemo returns memo as VietQRPayload writes it: folded, upper case,
// printable ASCII, at most 25 characters; or the reason it cannot be.
func VietQRMemo(memo string) (string, error) {
	f := Fold(memo)
	for i := 0; i < len(f); i++ {
		if f[i] < 0x20 || f[i] > 0x7e {
			return "", Errorf(EINVALID, ReasonQRMemo, "%q", memo)
		}
	}
	if len(f) > VietQRMemoMax {
		return "", Errorf(EINVALID, ReasonQRMemoLength, "%d > %d", len(f), VietQRMemoMax)
	}
	return strings.ToUpper(f), nil // ASCII only here, so ToUpper stays ASCII
}

func vietQRAccountOK(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !moneyDigit(c) && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// buildVietQR writes the payload from values already checked.
func buildVietQR(bin, account string, amount int64, memo string) string {
	var b strings.Builder
	emvField(&b, "00", "01")
	if amount > 0 {
		emvField(&b, "01", "12")
	} else {
		emvField(&b, "01", "11")
	}
	var beneficiary, merchant strings.Builder
	emvField(&beneficiary, "00", bin)
	emvField(&beneficiary, "01", account)
	emvField(&merchant, "00", "A000000727")
	emvField(&merchant, "01", beneficiary.String())
	emvField(&merchant, "02", "QRIBFTTA")
	emvField(&b, "38", merchant.String())
	emvField(&b, "53", "704")
	if amount > 0 {
		emvField(&b, "54", strconv.FormatInt(amount, 10))
	}
	emvField(&b, "58", "VN")
	if memo != "" {
		var extra strings.Builder
		emvField(&extra, "08", memo)
		emvField(&b, "62", extra.String())
	}
	b.WriteString("6304")
	fmt.Fprintf(&b, "%04X", crc16CCITTFalse([]byte(b.String())))
	return b.String()
}

// emvField writes one EMVCo data object: ID, two-digit length, value. The
// callers keep every value under 100 bytes.
func emvField(b *strings.Builder, id, value string) {
	fmt.Fprintf(b, "%s%02d%s", id, len(value), value)
}

// crc16CCITTFalse is CRC-16/CCITT-FALSE: polynomial 0x1021, initial value
// 0xFFFF, no reflection, no final XOR, as EMVCo requires for ID 63.
func crc16CCITTFalse(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range data {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
