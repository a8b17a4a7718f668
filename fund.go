package congdoanbot

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Fund is a fund of the union (quỹ) that members pledge to: "Mái ấm Công
// đoàn", a charity fund. The target and the period are optional; so is the
// bank account that payments go to (without one, members pay in cash to
// their chair).
type Fund struct {
	ID          int64
	Name        string
	Description string
	Target      int64 // đồng; 0 for no target
	Start, End  Date  // both zero for no period
	BankBIN     string
	AccountNo   string
	AccountName string
	Closed      bool
	ClosedAt    time.Time
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// FundTargetMax bounds a fund's target: a thousand tỷ, far above any
// pledge but well inside the VietQR amount field.
const FundTargetMax int64 = 1_000_000_000_000

// HasBank reports whether the fund takes payments by bank transfer.
func (f *Fund) HasBank() bool { return f.BankBIN != "" && f.AccountNo != "" }

// HasPeriod reports whether the fund runs for a set period.
func (f *Fund) HasPeriod() bool { return !f.Start.IsZero() }

// Validate cleans and checks a fund before it is stored.
func (f *Fund) Validate() error {
	name, err := ValidateFundName(f.Name)
	if err != nil {
		return err
	}
	f.Name = name
	f.Description = CleanText(f.Description)
	if utf8.RuneCountInString(f.Description) > MaxDescription {
		return Invalid(ReasonDescriptionLong)
	}
	if HasControl(f.Description) {
		return Invalid(ReasonText)
	}
	if f.Target < 0 || f.Target > FundTargetMax {
		return Errorf(EINVALID, ReasonFundTarget, "target %d", f.Target)
	}
	if f.Start.IsZero() != f.End.IsZero() || f.End.Before(f.Start) {
		return Invalid(ReasonDateOrder)
	}
	if f.BankBIN == "" && f.AccountNo == "" && f.AccountName == "" {
		return nil
	}
	if _, err := BankByBIN(f.BankBIN); err != nil {
		return err
	}
	if f.AccountNo, err = ValidateAccountNo(f.AccountNo); err != nil {
		return err
	}
	f.AccountName, err = ValidateAccountName(f.AccountName)
	return err
}

// ValidateFundName cleans and checks a fund's name: 3 to 200 characters.
func ValidateFundName(s string) (string, error) {
	name := CleanText(s)
	if n := utf8.RuneCountInString(name); n < 3 || n > 200 || HasControl(name) {
		return "", Invalid(ReasonFundName)
	}
	return name, nil
}

// AcceptsPledges says whether members may pledge to the fund on day d:
// it is not closed, and d is within its period if it has one.
func (f *Fund) AcceptsPledges(d Date) error {
	if f.Closed {
		return Invalid(ReasonFundClosed)
	}
	if f.HasPeriod() && (d.Before(f.Start) || d.After(f.End)) {
		return Errorf(EINVALID, ReasonFundPeriod, "%s not in %s..%s", d, f.Start, f.End)
	}
	return nil
}

// PledgeMemo is the transfer memo that identifies a pledge, the text the
// treasurer matches on the bank statement: "UH 12" (ủng hộ, pledge 12).
func PledgeMemo(pledgeID int64) string { return "UH " + strconv.FormatInt(pledgeID, 10) }

// ParsePledgeRef reads a pledge number as people copy it from a memo or a
// receipt: "12", "#12", "UH 12", "uh12", "UH-12".
func ParsePledgeRef(s string) (int64, bool) {
	t := strings.TrimSpace(Fold(s))
	t = strings.TrimPrefix(t, "#")
	if rest, ok := strings.CutPrefix(t, "uh"); ok {
		t = strings.TrimLeft(rest, " -#:")
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || !moneyAllDigits(t) {
		return 0, false
	}
	return n, true
}

// PaymentPayload is the VietQR payload for paying what is left of a
// pledge into the fund's account, with the pledge's memo.
func (f *Fund) PaymentPayload(p *Pledge) (string, error) {
	if !f.HasBank() {
		return "", Errorf(EINVALID, ReasonQRBankBIN, "fund %d has no bank account", f.ID)
	}
	return VietQRPayload(f.BankBIN, f.AccountNo, p.Remaining(), PledgeMemo(p.ID))
}

// Bank is a Vietnamese bank as NAPAS knows it.
type Bank struct {
	Name    string   // the short name people use: "Vietcombank"
	BIN     string   // the 6-digit NAPAS BIN: "970436"
	Aliases []string // other ways of typing it, folded: "vcb"
}

// Banks are the banks offered by name when a fund's account is set; any
// other bank is given by its BIN.
var Banks = []Bank{
	{"Vietcombank", "970436", []string{"vcb", "ngoai thuong"}},
	{"VietinBank", "970415", []string{"ctg", "cong thuong", "icb"}},
	{"BIDV", "970418", []string{"dau tu va phat trien"}},
	{"Agribank", "970405", []string{"vba", "nong nghiep"}},
	{"MB", "970422", []string{"mbbank", "mb bank", "quan doi"}},
	{"Techcombank", "970407", []string{"tcb", "ky thuong"}},
	{"ACB", "970416", []string{"a chau"}},
	{"VPBank", "970432", []string{"vpb", "viet nam thinh vuong"}},
	{"Sacombank", "970403", []string{"stb", "sai gon thuong tin"}},
}

// ParseBank reads a bank as typed: a short name from Banks (case and
// diacritics ignored, "ngân hàng" optional) or a 6-digit BIN.
func ParseBank(s string) (Bank, error) {
	f := Fold(s)
	f = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(f, "ngan hang"), "nh "))
	if len(f) == 6 && moneyAllDigits(f) {
		return BankByBIN(f)
	}
	compact := strings.ReplaceAll(f, " ", "")
	for _, b := range Banks {
		if compact == strings.ToLower(b.Name) {
			return b, nil
		}
		for _, a := range b.Aliases {
			if f == a || compact == strings.ReplaceAll(a, " ", "") {
				return b, nil
			}
		}
	}
	return Bank{}, Errorf(EINVALID, ReasonFundBank, "%q", s)
}

// BankByBIN returns the bank with a BIN: one of Banks, or an unnamed bank
// for any other 6-digit BIN.
func BankByBIN(bin string) (Bank, error) {
	if len(bin) != 6 || !moneyAllDigits(bin) {
		return Bank{}, Errorf(EINVALID, ReasonFundBank, "BIN %q", bin)
	}
	for _, b := range Banks {
		if b.BIN == bin {
			return b, nil
		}
	}
	return Bank{BIN: bin}, nil
}

// BankName is how a bank is shown: its short name, or "BIN 970xxx".
func BankName(bin string) string {
	b, err := BankByBIN(bin)
	if err != nil || b.Name == "" {
		return "BIN " + bin
	}
	return b.Name
}

// ValidateAccountNo cleans a bank account number as typed (spaces, dots
// and hyphens between digits dropped, letters upper-cased) and checks it
// fits a VietQR code: 1 to 19 digits or letters.
func ValidateAccountNo(s string) (string, error) {
	acct := strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s)))
	if len(acct) == 0 || len(acct) > VietQRAccountMax || !vietQRAccountOK(acct) {
		return "", Errorf(EINVALID, ReasonQRAccount, "%q", s)
	}
	return acct, nil
}

// ValidateAccountName cleans and checks the name on a bank account: 2 to
// 100 characters.
func ValidateAccountName(s string) (string, error) {
	name := CleanText(s)
	if n := utf8.RuneCountInString(name); n < 2 || n > 100 || HasControl(name) {
		return "", Invalid(ReasonAccountName)
	}
	return name, nil
}

// FundTotals adds up a fund's pledges that were not withdrawn.
type FundTotals struct {
	Pledged int64 // đồng promised
	Paid    int64 // đồng confirmed paid
	Pledges int64
	Donors  int64 // distinct members
	Units   []UnitFundTotal
}

// UnitFundTotal is one grassroots union's part of a fund's totals.
type UnitFundTotal struct {
	UnitID   int64
	UnitCode string
	UnitName string
	Pledged  int64
	Paid     int64
	Pledges  int64
	Donors   int64
}

// Percent is part as a whole percentage of whole, rounded down; 0 when
// whole is 0.
func Percent(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}
