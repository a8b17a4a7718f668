package bot_test

import (
	"context"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// addMember puts a member straight into storage, for tests that need a
// given role and status.
func (h *harness) addMember(user, name, unit string, role cd.Role, status cd.Status) {
	h.t.Helper()
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		u, err := tx.UnitByCode(unit)
		if err != nil {
			return err
		}
		return tx.CreateMember(&cd.Member{FullName: name, UnitID: u.ID, Role: role, Status: status},
			cd.Identity{Platform: cd.PlatformConsole, UserID: user, ChatID: user})
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestPermissions(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.FloodPerMinute = 1000 })
	h.addMember("pending", "Người Chờ Duyệt", "STP", cd.RoleMember, cd.StatusPending)
	h.addMember("member", "Đoàn Viên Thường", "STP", cd.RoleMember, cd.StatusActive)
	h.addMember("deputy", "Phó Chủ Tịch", "STP", cd.RoleDeputy, cd.StatusActive)
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)

	const (
		ok     = "ok"
		denied = "denied"
	)
	// What a refusal says depends on who asks.
	refusal := map[string]string{
		"stranger": "dành cho đoàn viên đã đăng ký",
		"pending":  "đang chờ chủ tịch công đoàn cơ sở duyệt",
	}
	users := []string{"stranger", "pending", "member", "deputy", "chutich", "chairkb", "tinh"}
	table := []struct {
		cmd  string
		want map[string]string // user -> ok/denied; missing users are ok
	}{
		{"/trogiup", nil},
		{"/huy", nil},
		{"/dangky", nil},
		{"/cuatoi", map[string]string{"stranger": denied}},
		{"/xoataikhoan", map[string]string{"stranger": denied}},
		{"/duyet", map[string]string{"stranger": denied, "pending": denied, "member": denied}},
		{"/donvi", map[string]string{"stranger": denied, "pending": denied, "member": denied}},
		{"/nopbaocao", map[string]string{"stranger": denied, "pending": denied, "member": denied}},
		{"/baocao", map[string]string{"stranger": denied, "pending": denied}},
		{"/hoantac", map[string]string{"stranger": denied, "pending": denied}},
		{"/suabaocao 1", map[string]string{"stranger": denied, "pending": denied}},
		{"/phongtrao", map[string]string{"stranger": denied, "pending": denied}},
		{"/mokhoa STP 10/2026", map[string]string{"stranger": denied, "pending": denied, "member": denied, "deputy": denied, "chutich": denied, "chairkb": denied}},
		{"/phanquyen", map[string]string{"stranger": denied, "pending": denied, "member": denied, "deputy": denied, "chutich": denied, "chairkb": denied}},
	}
	wantDenied := 0
	for _, row := range table {
		for _, user := range users {
			want := ok
			if w, found := row.want[user]; found {
				want = w
			}
			t.Run(strings.Fields(strings.TrimPrefix(row.cmd, "/"))[0]+"/"+user, func(t *testing.T) {
				out := h.run("@" + user + " " + row.cmd + "\n/huy\n")
				msg := refusal[user]
				if msg == "" {
					msg = "không có quyền"
				}
				got := ok
				if strings.Contains(out, msg) {
					got = denied
				}
				if got != want {
					t.Fatalf("%s by %s: got %s, want %s:\n%s", row.cmd, user, got, want, out)
				}
			})
			if want == denied {
				wantDenied++
			}
		}
	}
	if n := h.auditCount(cd.AuditDenied); n != wantDenied {
		t.Fatalf("denied audit entries = %d, want %d", n, wantDenied)
	}
}

func TestChairActsOnlyOnOwnUnit(t *testing.T) {
	h := newHarness(t)
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	h.register("an", "Nguyễn Văn An", "STP")
	// The chair of KBNN does not see an applicant of STP.
	out := h.expect("@chairkb /duyet\n", "Không có ai đang chờ duyệt")
	h.refuse(out, "Nguyễn Văn An")

	// A chair who loses the role in the middle of deciding is refused at
	// the moment of deciding, and nothing changes.
	h.expect("@chutich /duyet\n1\n", "Duyệt người này?")
	h.expect("@tinh /phanquyen STP\nTrần Thị Hoa\nĐoàn viên (bỏ quyền)\n", "Đã phân quyền: Trần Thị Hoa là đoàn viên")
	before := h.auditCount(cd.AuditDenied)
	h.expect("@chutich 1\n", "không còn quyền")
	if m := h.member("an"); m.Status != cd.StatusPending {
		t.Fatalf("status changed to %s", m.Status)
	}
	if n := h.auditCount(cd.AuditDenied); n != before+1 {
		t.Fatalf("denied audit entries = %d, want %d", n, before+1)
	}
}
