package congdoanbot

import (
	"strings"
	"testing"
)

func TestFundValidate(t *testing.T) {
	good := func() *Fund {
		return &Fund{Name: "  Mái ấm   Công đoàn ", Description: "Nhà cho đoàn viên", Target: 300_000_000,
			Start: Date{2026, 1, 1}, End: Date{2026, 12, 31}, BankBIN: "970436", AccountNo: "0011 0012-3456.7", AccountName: "CONG DOAN TINH"}
	}
	f := good()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if f.Name != "Mái ấm Công đoàn" || f.AccountNo != "0011001234567" {
		t.Fatalf("not cleaned: %+v", f)
	}
	cases := []struct {
		name   string
		edit   func(*Fund)
		reason Reason
	}{
		{"no bank at all", func(f *Fund) { f.BankBIN, f.AccountNo, f.AccountName = "", "", "" }, ""},
		{"no period", func(f *Fund) { f.Start, f.End = Date{}, Date{} }, ""},
		{"no target", func(f *Fund) { f.Target = 0 }, ""},
		{"short name", func(f *Fund) { f.Name = "Qu" }, ReasonFundName},
		{"long name", func(f *Fund) { f.Name = strings.Repeat("a", 201) }, ReasonFundName},
		{"long description", func(f *Fund) { f.Description = strings.Repeat("a", 1001) }, ReasonDescriptionLong},
		{"negative target", func(f *Fund) { f.Target = -1 }, ReasonFundTarget},
		{"huge target", func(f *Fund) { f.Target = FundTargetMax + 1 }, ReasonFundTarget},
		{"end before start", func(f *Fund) { f.End = Date{2025, 12, 31} }, ReasonDateOrder},
		{"start without end", func(f *Fund) { f.End = Date{} }, ReasonDateOrder},
		{"bank BIN short", func(f *Fund) { f.BankBIN = "97043" }, ReasonFundBank},
		{"account without bank", func(f *Fund) { f.BankBIN = "" }, ReasonFundBank},
		{"account with symbols", func(f *Fund) { f.AccountNo = "12/34" }, ReasonQRAccount},
		{"account too long", func(f *Fund) { f.AccountNo = strings.Repeat("1", 20) }, ReasonQRAccount},
		{"no account name", func(f *Fund) { f.AccountName = " " }, ReasonAccountName},
	}
	for _, c := range cases {
		f := good()
		c.edit(f)
		err := f.Validate()
		if ErrorReason(err) != c.reason || (c.reason == "" && err != nil) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.reason)
		}
	}
}

func TestFundAcceptsPledges(t *testing.T) {
	f := &Fund{Start: Date{2026, 1, 1}, End: Date{2026, 12, 31}}
	for d, want := range map[Date]Reason{
		{2026, 1, 1}:   "",
		{2026, 12, 31}: "",
		{2025, 12, 31}: ReasonFundPeriod,
		{2027, 1, 1}:   ReasonFundPeriod,
	} {
		if got := ErrorReason(f.AcceptsPledges(d)); got != want {
			t.Errorf("AcceptsPledges(%s) = %q, want %q", d, got, want)
		}
	}
	f.Closed = true
	if got := ErrorReason(f.AcceptsPledges(Date{2026, 6, 1})); got != ReasonFundClosed {
		t.Errorf("closed fund: %q", got)
	}
	if err := (&Fund{}).AcceptsPledges(Date{1999, 1, 1}); err != nil {
		t.Errorf("fund without period: %v", err)
	}
}

func TestParseBank(t *testing.T) {
	cases := map[string]string{
		"Vietcombank":           "970436",
		"vietcombank":           "970436",
		"VCB":                   "970436",
		"ngân hàng Vietcombank": "970436",
		"VietinBank":            "970415",
		"Công Thương":           "970415",
		"BIDV":                  "970418",
		"agribank":              "970405",
		"MB":                    "970422",
		"MB Bank":               "970422",
		"mbbank":                "970422",
		"Techcombank":           "970407",
		"ACB":                   "970416",
		"VPBank":                "970432",
		"vp bank":               "970432",
		"Sacombank":             "970403",
		"970448":                "970448", // a BIN typed directly, not in the short list
		" 970436 ":              "970436",
	}
	for in, want := range cases {
		b, err := ParseBank(in)
		if err != nil || b.BIN != want {
			t.Errorf("ParseBank(%q) = %+v, %v; want BIN %s", in, b, err, want)
		}
	}
	for _, in := range []string{"", "Ngân hàng Mặt Trăng", "97043", "9704361", "abcdef"} {
		if _, err := ParseBank(in); ErrorReason(err) != ReasonFundBank {
			t.Errorf("ParseBank(%q) = %v, want %s", in, err, ReasonFundBank)
		}
	}
	if BankName("970436") != "Vietcombank" || BankName("970448") != "BIN 970448" {
		t.Errorf("BankName: %q %q", BankName("970436"), BankName("970448"))
	}
}

func TestParsePledgeRef(t *testing.T) {
	ok := map[string]int64{"12": 12, "#12": 12, "UH 12": 12, "uh12": 12, "UH-12": 12, " Uh 7 ": 7}
	for in, want := range ok {
		if got, good := ParsePledgeRef(in); !good || got != want {
			t.Errorf("ParsePledgeRef(%q) = %d, %t", in, got, good)
		}
	}
	for _, in := range []string{"", "UH", "STP", "0", "-3", "12a", "1.2", "UH 1 2"} {
		if n, good := ParsePledgeRef(in); good {
			t.Errorf("ParsePledgeRef(%q) = %d, want refused", in, n)
		}
	}
	if PledgeMemo(12) != "UH 12" {
		t.Fatal(PledgeMemo(12))
	}
}

// TestPaymentPayload: the fund's account, what is left of the pledge and
// the memo "UH <id>" go into the VietQR code.
func TestPaymentPayload(t *testing.T) {
	f := &Fund{ID: 1, BankBIN: "970436", AccountNo: "1234567890", AccountName: "CONG DOAN"}
	p := &Pledge{ID: 12, Amount: 1_500_000, Paid: 500_000, Status: PledgePartial}
	got, err := f.PaymentPayload(p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := VietQRPayload("970436", "1234567890", 1_000_000, "UH 12")
	if got != want {
		t.Fatalf("payload = %s, want %s", got, want)
	}
	for _, field := range []string{"0006970436", "01101234567890", "54071000000", "0805UH 12"} {
		if !strings.Contains(got, field) {
			t.Errorf("payload %s lacks %s", got, field)
		}
	}
	if _, err := (&Fund{}).PaymentPayload(p); err == nil {
		t.Fatal("payload without a bank account")
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct{ part, whole, want int64 }{
		{0, 100, 0}, {1, 3, 33}, {2, 3, 66}, {3, 3, 100}, {5, 3, 166}, {5, 0, 0}, {1_000_000_000_000, 1_000_000_000_000, 100},
	} {
		if got := Percent(c.part, c.whole); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.part, c.whole, got, c.want)
		}
	}
}
