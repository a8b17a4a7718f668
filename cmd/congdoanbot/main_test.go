package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type run struct {
	code           int
	stdout, stderr string
}

// exec runs the program as the shell would, with stdin and environment.
func exec(t *testing.T, stdin string, env map[string]string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: func(k string) string { return env[k] },
		now:    func() time.Time { return time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC) }}
	code := a.main(context.Background(), args)
	return run{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelp(t *testing.T) {
	r := exec(t, "", nil, "-h")
	for _, cmd := range []string{"run", "demo", "export", "backup", "migrate"} {
		if !strings.Contains(r.stdout, "\n  "+cmd+" ") {
			t.Errorf("help does not explain %s:\n%s", cmd, r.stdout)
		}
	}
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	r = exec(t, "", nil, "help", "backup")
	if !strings.Contains(r.stderr, "-out") {
		t.Fatalf("help backup:\n%s", r.stderr)
	}
	if r := exec(t, "", nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %+v", r)
	}
}

func TestBadConfig(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"unknown key", "provinse_name = \"x\"\n", `unknown key "provinse_name"`},
		{"unknown nested key", "[telegram]\ntokn = \"x\"\n", `unknown key "telegram.tokn"`},
		{"wrong type", "[bot]\nflood_per_minute = \"nhiều\"\n", `bot.flood_per_minute`},
		{"unknown time zone", "timezone = \"Asia/Hanoi_City\"\n", `key "timezone": unknown time zone "Asia/Hanoi_City"`},
		{"bad admin", "admins = [\"123456\"]\n", `key "admins": entry 1, "123456", is not platform:user_id`},
		{"bad mode", "[zalo]\nmode = \"push\"\n", `key "zalo.mode"`},
		{"syntax", "province_name = \n", "line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "c.toml", c.body)
			r := exec(t, "", nil, "migrate", "-config", path, "-db", filepath.Join(t.TempDir(), "x.db"))
			if r.code == 0 {
				t.Fatalf("exit 0 for a bad config")
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.want) {
				t.Fatalf("stderr = %q, want one line with %q", r.stderr, c.want)
			}
		})
	}
	r := exec(t, "", nil, "migrate", "-config", filepath.Join(t.TempDir(), "missing.toml"))
	if r.code == 0 || !strings.Contains(r.stderr, "missing.toml: file not found") {
		t.Fatalf("missing file: %+v", r)
	}
}

func TestConfigExampleLoads(t *testing.T) {
	cfg, err := loadConfig("../../config.example.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	def := defaultConfig()
	if cfg.ProvinceName != def.ProvinceName || cfg.Bot != def.Bot || cfg.Telegram != def.Telegram || cfg.Zalo != def.Zalo ||
		cfg.Storage != def.Storage || cfg.Log != def.Log || cfg.Jobs != def.Jobs || cfg.TimeZone != def.TimeZone {
		t.Fatalf("config.example.toml differs from the defaults:\n%+v\n%+v", cfg, def)
	}
	// Secrets from the environment win over the file.
	cfg, err = loadConfig("../../config.example.toml", func(k string) string {
		return map[string]string{"CONGDOANBOT_TELEGRAM_TOKEN": "1:tg", "CONGDOANBOT_ZALO_TOKEN": "2:zl"}[k]
	})
	if err != nil || cfg.Telegram.Token != "1:tg" || cfg.Zalo.Token != "2:zl" {
		t.Fatalf("env tokens: %+v %v", cfg, err)
	}
}

const demoScript = `# A member registers, the chair approves, the province looks at units.
@an /dangky
1
Nguyễn Văn An
bỏ qua
STP
1
@chutich duyet
1
1
@an cua toi
@tinh /donvi
1
`

func TestDemoScript(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	r := exec(t, demoScript, nil, "demo", "-db", db)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"[bot → @an] Để đăng ký đoàn viên",
		"[bot → @chutich] Có đăng ký đoàn viên mới vào Sở Tư pháp: Nguyễn Văn An",
		"[bot → @an] Chúc mừng anh/chị!",
		"• Trạng thái: đang sinh hoạt",
		"TINH — Công đoàn Viên chức tỉnh (demo)",
		"STP — Sở Tư pháp: 2 đoàn viên, 0 chờ duyệt",
		"KBNN — Kho bạc Nhà nước tỉnh", "VKS — Viện Kiểm sát nhân dân tỉnh", "CT — Cục Thuế tỉnh",
		"VPTU — Văn phòng Tỉnh ủy", "SCT — Sở Công Thương",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", r.stdout)
	}
	// The database persists; -reset starts over.
	r = exec(t, "@an /cuatoi\n", nil, "demo", "-db", db)
	if !strings.Contains(r.stdout, "Nguyễn Văn An") {
		t.Fatalf("demo state lost:\n%s", r.stdout)
	}
	r = exec(t, "@an /cuatoi\n", nil, "demo", "-db", db, "-reset")
	if !strings.Contains(r.stdout, "dành cho đoàn viên đã đăng ký") {
		t.Fatalf("-reset kept the data:\n%s", r.stdout)
	}
}

// countRows counts the rows of a table in a database file.
func countRows(t *testing.T, path, table string) int {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	switch table {
	case "units":
		units, err := db.Units(context.Background(), cd.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n = len(units)
	case "members":
		err = db.ExportMembers(context.Background(), func(cd.Member) error { n++; return nil })
	case "funds":
		funds, ferr := db.Funds(context.Background(), true)
		n, err = len(funds), ferr
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRunWithoutPlatform: `run` with no platform seeds nothing, starts no
// demo and exits non-zero with one line naming the settings. With no
// command at all the demo starts, on the demo's own database, never on
// storage.path nor on a database that holds real data.
func TestRunWithoutPlatform(t *testing.T) {
	dir := t.TempDir()
	prod := filepath.Join(dir, "prod.db")
	if r := exec(t, "", nil, "migrate", "-db", prod); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := exec(t, "@an /trogiup\n", nil, "run", "-db", prod)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code == 0 || len(lines) != 1 || r.stdout != "" {
		t.Fatalf("run without a platform: %+v", r)
	}
	for _, want := range []string{"no platform is configured", "CONGDOANBOT_TELEGRAM_TOKEN", "[telegram]", "CONGDOANBOT_ZALO_TOKEN", "[zalo]"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("the line lacks %q: %s", want, lines[0])
		}
	}
	if n := countRows(t, prod, "units"); n != 1 {
		t.Fatalf("run without a platform changed the database: %d units", n)
	}
	if r := exec(t, "", nil, "run", "-db", filepath.Join(dir, "none.db")); r.code == 0 {
		t.Fatal("exit 0")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Fatalf("run without a platform created its database: %v", err)
	}

	// No command, a config whose storage.path holds real data: the demo
	// runs on congdoanbot-demo.db in the working directory.
	t.Chdir(dir)
	cfg := writeFile(t, "c.toml", fmt.Sprintf("[storage]\npath = %q\n", prod))
	r = exec(t, "@an /trogiup\n", nil, "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stderr, "no platform is configured") || !strings.Contains(r.stderr, "congdoanbot demo") ||
		!strings.Contains(r.stdout, "[bot → @an] Các lệnh") {
		t.Fatalf("no command, no platform: %+v", r)
	}
	if n := countRows(t, prod, "units"); n != 1 {
		t.Fatalf("the demo wrote into storage.path: %d units", n)
	}
	if n := countRows(t, filepath.Join(dir, "congdoanbot-demo.db"), "units"); n != 7 {
		t.Fatalf("demo database: %d units, want 7", n)
	}
	// Nor does the demo touch a database with real data named by -db,
	// with or without -reset.
	for _, args := range [][]string{{"-db", prod}, {"demo", "-db", prod}, {"demo", "-db", prod, "-reset"}} {
		r := exec(t, "@an /trogiup\n", nil, args...)
		if r.code == 0 || !strings.Contains(r.stderr, "holds real data") || strings.Contains(r.stdout, "[bot") {
			t.Fatalf("%v: %+v", args, r)
		}
		if n, m := countRows(t, prod, "units"), countRows(t, prod, "members"); n != 1 || m != 0 {
			t.Fatalf("%v: the real database has %d units, %d members", args, n, m)
		}
	}
	// A new file named by -db is the demo's.
	r = exec(t, "@an /trogiup\n", nil, "-db", filepath.Join(dir, "demo2.db"))
	if r.code != 0 || !strings.Contains(r.stdout, "[bot → @an] Các lệnh") {
		t.Fatalf("no command, new -db: %+v", r)
	}
}

func TestExportBackupMigrate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if r := exec(t, demoScript, nil, "demo", "-db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := exec(t, "", nil, "export", "members", "-db", db)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "id,full_name,unit_code,unit_name,role,status,platforms,registered_at" {
		t.Fatalf("header = %v", rows[0])
	}
	var an []string
	for _, row := range rows[1:] {
		if row[1] == "Nguyễn Văn An" {
			an = row
		}
	}
	if an == nil || an[2] != "STP" || an[4] != "member" || an[5] != "active" || an[6] != "console" || an[7] != "2026-11-25T02:00:00Z" {
		t.Fatalf("An's row = %v (all: %v)", an, rows)
	}
	out := filepath.Join(dir, "members.csv")
	if r := exec(t, "", nil, "export", "members", "-db", db, "-out", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := exec(t, "", nil, "export", "members", "-db", db, "-out", out); r.code == 0 || !strings.Contains(r.stderr, "exists already") {
		t.Fatalf("export over an existing file: %+v", r)
	}
	if r := exec(t, "", nil, "export", "payments", "-db", db); r.code != 2 {
		t.Fatalf("unknown export: %+v", r)
	}

	backup := filepath.Join(dir, "backup.db")
	r = exec(t, "", nil, "backup", "-db", db, "-out", backup)
	if r.code != 0 || !strings.Contains(r.stdout, "integrity ok") {
		t.Fatalf("backup: %+v", r)
	}
	if r := exec(t, "", nil, "backup", "-db", db, "-out", backup); r.code == 0 || !strings.Contains(r.stderr, "exists already") {
		t.Fatalf("backup over an existing file: %+v", r)
	}
	if r := exec(t, "", nil, "backup", "-db", db); r.code != 2 {
		t.Fatalf("backup without -out: %+v", r)
	}
	r = exec(t, "", nil, "export", "members", "-db", backup)
	if !strings.Contains(r.stdout, "Nguyễn Văn An") {
		t.Fatalf("backup lacks data:\n%s", r.stdout)
	}
	fresh := filepath.Join(dir, "fresh.db")
	if r := exec(t, "", nil, "migrate", "-db", fresh); r.code != 0 || !strings.Contains(r.stdout, "schema version") {
		t.Fatalf("migrate: %+v", r)
	}
}

func TestExportActivities(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	script := demoScript + "@an /baocao\nTừ thiện, thăm hỏi\nhôm nay\nThăm đồng nghiệp, tặng quà\n1\n1tr5\nbỏ qua\nGiỏi việc nước, đảm việc nhà\nLưu báo cáo\n"
	if r := exec(t, script, nil, "demo", "-db", db); r.code != 0 || !strings.Contains(r.stdout, "Đã lưu báo cáo số 1") {
		t.Fatalf("demo: %+v", r)
	}
	r := exec(t, "", nil, "export", "activities", "-db", db, "-month", "2026-11", "-unit", "stp")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "date", "kind", "unit_code", "member_id", "member_name", "description", "people", "amount_vnd", "quantity", "campaign", "entered_by", "created_at"},
		{"1", "2026-11-25", "tu_thien", "STP", "3", "Nguyễn Văn An", "Thăm đồng nghiệp, tặng quà", "1", "1500000", "0", "Giỏi việc nước, đảm việc nhà", "Nguyễn Văn An", "2026-11-25T02:00:00Z"},
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(want[0], ",") || strings.Join(rows[1], "|") != strings.Join(want[1], "|") {
		t.Fatalf("export =\n%v\nwant\n%v", rows, want)
	}
	if r := exec(t, "", nil, "export", "activities", "-db", db, "-month", "2026-10"); r.code != 0 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("empty month: %+v", r)
	}
	for _, args := range [][]string{{"-month", "11/2026x"}, {}} {
		if r := exec(t, "", nil, append([]string{"export", "activities", "-db", db}, args...)...); r.code != 2 || !strings.Contains(r.stderr, "-month must be YYYY-MM") {
			t.Fatalf("bad month %v: %+v", args, r)
		}
	}
	if r := exec(t, "", nil, "export", "activities", "-db", db, "-month", "2026-11", "-unit", "XYZ"); r.code != 1 || !strings.Contains(r.stderr, `no unit with code "XYZ"`) {
		t.Fatalf("bad unit: %+v", r)
	}
}

func TestExportPledges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	script := demoScript +
		"@an /ungho\n1\n1tr5\nKhông hẹn ngày\nẨn danh\nLưu đăng ký\n" +
		"@chutich /xacnhan UH 1\n2\n500k\n1\n1\n" +
		"@an /ungho\n2\n200k\n31/12\nHiện tên tôi\nLưu đăng ký\n"
	if r := exec(t, script, nil, "demo", "-db", db); r.code != 0 || !strings.Contains(r.stdout, "Đã ghi nhận đăng ký ủng hộ số 2") ||
		!strings.Contains(r.stdout, "Đã ghi nhận Nguyễn Văn An nộp 500.000 đ") {
		t.Fatalf("demo: %+v", r)
	}
	header := "id,fund,unit_code,member_id,member_name,amount_vnd,paid_vnd,status,due_date,anonymous,created_at"
	rowHouse := "1|Mái ấm Công đoàn|STP|3|Nguyễn Văn An|1500000|500000|partial||true|2026-11-25T02:00:00Z"
	rowSavings := "2|Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn|STP|3|Nguyễn Văn An|200000|0|pledged|2026-12-31|false|2026-11-25T02:00:00Z"
	for _, c := range []struct {
		args []string
		rows []string
	}{
		{nil, []string{rowHouse, rowSavings}},
		{[]string{"-fund", "2", "-format", "csv"}, []string{rowSavings}},
		{[]string{"-fund", "3"}, nil},
	} {
		r := exec(t, "", nil, append([]string{"export", "pledges", "-db", db}, c.args...)...)
		if r.code != 0 {
			t.Fatalf("export pledges %v: %+v", c.args, r)
		}
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(c.rows)+1 || strings.Join(rows[0], ",") != header {
			t.Fatalf("export pledges %v =\n%v", c.args, rows)
		}
		for i, want := range c.rows {
			if got := strings.Join(rows[i+1], "|"); got != want {
				t.Fatalf("export pledges %v row %d =\n%s\nwant\n%s", c.args, i+1, got, want)
			}
		}
	}
	if r := exec(t, "", nil, "export", "pledges", "-db", db, "-fund", "9"); r.code != 1 || !strings.Contains(r.stderr, "no fund number 9") {
		t.Fatalf("missing fund: %+v", r)
	}
	if r := exec(t, "", nil, "export", "pledges", "-db", db, "-fund", "-1"); r.code != 2 {
		t.Fatalf("negative fund: %+v", r)
	}
	if r := exec(t, "", nil, "export", "pledges", "-db", db, "-format", "xlsx"); r.code != 2 || !strings.Contains(r.stderr, "unknown format") {
		t.Fatalf("bad format: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "pledges.csv")
	if r := exec(t, "", nil, "export", "pledges", "-db", db, "-out", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if body, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(body), header+"\n") {
		t.Fatalf("written file: %q, %v", body, err)
	}
}
