package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The demo's clock is 25/11/2026 09:00: the event runs 09:30–11:00, so
// check-in is open.
const surveyEventScript = demoScript + `@chutich /taokhaosat
Góp ý năm 2026
Anh/chị hài lòng ở mức nào?
3
2
2
30/11
1
@chutich /taokhaosat
Khảo sát ẩn danh
Điều anh/chị lo lắng nhất?
4
2
1
30/11
1
@an /khaosat_1
4
1
@chutich /taosukien
Hội diễn văn nghệ
25/11/2026 09:30
11:00
Hội trường
1
Văn nghệ, thể thao
Không tính cho phong trào nào
1
@an /sukien_1
1
@chutich /quanlysukien_1
Mã điểm danh
`

var demoCode = regexp.MustCompile(`Đoàn viên gõ: /diemdanh (\d{6})`)

func TestExportSurveyAndEvent(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	cfg := writeFile(t, "fast.toml", "[bot]\nflood_per_minute = 1000\n") // a script types fast
	r := exec(t, surveyEventScript, nil, "demo", "-config", cfg, "-db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "Cảm ơn anh/chị đã trả lời khảo sát «Góp ý năm 2026»") {
		t.Fatalf("demo: %d %s\n%s", r.code, r.stderr, r.stdout)
	}
	code := demoCode.FindStringSubmatch(r.stdout)
	if code == nil {
		t.Fatalf("no check-in code:\n%s", r.stdout)
	}
	if r := exec(t, "@an /diemdanh "+code[1]+"\n", nil, "demo", "-db", db); !strings.Contains(r.stdout, "✅ Đã điểm danh") {
		t.Fatalf("check-in: %+v", r)
	}

	out := filepath.Join(dir, "ket-qua.xlsx")
	if r := exec(t, "", nil, "export", "survey", "-id", "1", "-db", db, "-out", out); r.code != 0 {
		t.Fatalf("export survey: %+v", r)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Cau tra loi")
	if err != nil || len(rows) != 2 || rows[1][0] != "Nguyễn Văn An" || rows[1][3] != "4" {
		t.Fatalf("responses sheet %q, %v", rows, err)
	}
	f.Close()
	r = exec(t, "", nil, "export", "survey", "-id", "2", "-db", db, "-out", filepath.Join(dir, "an-danh.xlsx"))
	if r.code == 0 || !strings.Contains(r.stderr, "survey 2 is anonymous") {
		t.Fatalf("anonymous survey exported while open: %+v", r)
	}
	for _, args := range [][]string{{"survey", "-id", "1"}, {"survey", "-out", "x.xlsx"}, {"event"}} {
		if r := exec(t, "", nil, append(append([]string{"export"}, args...), "-db", db)...); r.code != 2 {
			t.Errorf("export %v: %+v", args, r)
		}
	}
	if r := exec(t, "", nil, "export", "event", "-id", "9", "-db", db); r.code == 0 || !strings.Contains(r.stderr, "no event number 9") {
		t.Errorf("unknown event: %+v", r)
	}

	r = exec(t, "", nil, "export", "event", "-id", "1", "-db", db)
	if r.code != 0 {
		t.Fatalf("export event: %+v", r)
	}
	got, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"member_id", "member_name", "unit_code", "rsvp", "checked_in_at"},
		{"3", "Nguyễn Văn An", "STP", "going", "2026-11-25T09:00:00+07:00"},
	}
	if len(got) != 2 || strings.Join(got[0], ",") != strings.Join(want[0], ",") || strings.Join(got[1], ",") != strings.Join(want[1], ",") {
		t.Fatalf("event CSV = %q", got)
	}
}
