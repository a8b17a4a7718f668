package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// noLongerAllowed is what a step says when the person may no longer take it.
const noLongerAllowed = "Anh/chị không còn quyền thực hiện thao tác này. Thao tác đã dừng, không có gì thay đổi."

// setRole gives a console user's member a role in a unit, as if the
// province had changed it meanwhile.
func (h *harness) setRole(user string, role cd.Role, unit string) {
	h.t.Helper()
	m := h.member(user)
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		u, err := tx.UnitByCode(unit)
		if err != nil {
			return err
		}
		return tx.SetMemberRole(m.ID, role, u.ID)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// setStatus changes a console user's membership status.
func (h *harness) setStatus(user string, to cd.Status) {
	h.t.Helper()
	m := h.member(user)
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		return tx.SetMemberStatus(m.ID, m.Status, to, 0, "test")
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// eraseKeepingFlow erases a console user's data but leaves the flow they
// were in, as an erasure made elsewhere than in their own chat might.
func (h *harness) eraseKeepingFlow(user string) {
	h.t.Helper()
	m := h.member(user)
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		state, err := tx.Flow(cd.PlatformConsole, user)
		if err != nil {
			return err
		}
		if err := tx.EraseMember(m.ID); err != nil {
			return err
		}
		return tx.SaveFlow(cd.PlatformConsole, user, state)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// flowState is the stored flow of a console user.
func (h *harness) flowState(user string) string {
	h.t.Helper()
	var state string
	err := h.db.Update(context.Background(), func(tx *storage.Tx) (err error) {
		state, err = tx.Flow(cd.PlatformConsole, user)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return state
}

// auditActions lists the actions in the audit log, newest first.
func (h *harness) auditActions() []string {
	h.t.Helper()
	entries, err := h.db.AuditLog(context.Background(), 10000)
	if err != nil {
		h.t.Fatal(err)
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Action
	}
	return out
}

// demote has the first province admin make a member a plain member, through
// the bot.
func (h *harness) demote(unit, name string) {
	h.t.Helper()
	h.expect("@tinh /phanquyen "+unit+"\n"+name+"\nĐoàn viên (bỏ quyền)\n", "Đã phân quyền: "+name+" là đoàn viên")
}

// TestStepRechecksPermission: whoever may no longer take the next step of
// a flow (demoted, moved to another unit, no longer a member, erased) is
// refused at that step. The flow ends, the refusal is audited and nothing
// else changes.
func TestStepRechecksPermission(t *testing.T) {
	const reportKhac = "/baocao\nKhác\nhôm nay\nDọn vệ sinh cơ quan\nbỏ qua\n2\n"
	cases := []struct {
		name   string
		setup  func(h *harness)
		actor  string
		start  string // the actor's messages up to the pending step
		ready  string // what the pending step asks
		change func(h *harness)
		answer string // the actor's answer to the pending step
		check  func(t *testing.T, h *harness)
	}{
		{
			name: "phanquyen/admin demoted/role", actor: "tinh2",
			start: "/phanquyen STP\nTrần Thị Hoa\n", ready: "Chọn vai trò mới",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "Cán bộ Công đoàn tỉnh",
			check: func(t *testing.T, h *harness) {
				if m := h.member("chutich"); m.Role != cd.RoleChair {
					t.Fatalf("chair's role changed to %s", m.Role)
				}
			},
		},
		{
			name: "phanquyen/admin demoted/member", actor: "tinh2",
			start: "/phanquyen STP\n", ready: "cần phân quyền",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "1",
		},
		{
			name: "thongbao/admin demoted/confirm", actor: "tinh2",
			start: "/thongbao\nHọp khẩn chiều nay.\n1\n1\n", ready: "Thông báo sẽ gửi ngay",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "Gửi thông báo",
		},
		{
			name: "thongbao/admin demoted/text", actor: "tinh2",
			start: "/thongbao\n", ready: "Nội dung thông báo",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "Họp khẩn chiều nay.",
		},
		{
			name: "thongbao/admin erased/confirm", actor: "tinh2",
			start: "/thongbao\nHọp khẩn chiều nay.\n1\n1\n", ready: "Thông báo sẽ gửi ngay",
			change: func(h *harness) { h.eraseKeepingFlow("tinh2") },
			answer: "Gửi thông báo",
		},
		{
			name: "loaihoatdong/admin demoted/measure", actor: "tinh2",
			start: "/loaihoatdong\n1\nTrồng cây xanh\n", ready: "tính bằng gì",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "1",
		},
		{
			name: "donvi/admin demoted to member/confirm", actor: "tinh2",
			start: "/donvi\n2\nSở Tài chính\nstc\n1\n", ready: "Tạo đơn vị mới?",
			change: func(h *harness) { h.demote("TINH", "Phạm Văn Tỉnh") },
			answer: "1",
			check:  checkNoUnit("STC"),
		},
		{
			name: "donvi/admin made a chair/confirm", actor: "tinh2",
			start: "/donvi\n2\nSở Tài chính\nstc\n1\n", ready: "Tạo đơn vị mới?",
			change: func(h *harness) { h.setRole("tinh2", cd.RoleChair, "KBNN") },
			answer: "1",
			check:  checkNoUnit("STC"),
		},
		{
			name: "phongtrao/admin made a chair/name", actor: "tinh2",
			start: "/phongtrao\nTạo phong trào mới\n", ready: "Tên phong trào",
			change: func(h *harness) { h.setRole("tinh2", cd.RoleChair, "KBNN") },
			answer: "Thi đua cuối năm",
		},
		{
			name: "duyet/chair demoted/pick", actor: "chutich",
			setup: func(h *harness) { h.register("an", "Nguyễn Văn An", "STP") },
			start: "/duyet\n", ready: "Chọn một người để xem và duyệt",
			change: func(h *harness) { h.demote("STP", "Trần Thị Hoa") },
			answer: "1",
			check:  checkStatus("an", cd.StatusPending),
		},
		{
			name: "duyet/chair moved to another unit/decide", actor: "chutich",
			setup: func(h *harness) { h.register("an", "Nguyễn Văn An", "STP") },
			start: "/duyet\n1\n", ready: "Duyệt người này?",
			change: func(h *harness) { h.setRole("chutich", cd.RoleChair, "KBNN") },
			answer: "1",
			check:  checkStatus("an", cd.StatusPending),
		},
		{
			name: "xacnhan/chair demoted/pick", actor: "chutich",
			setup: pledgeOfAn, start: "/xacnhan\n", ready: "UH 1",
			change: func(h *harness) { h.demote("STP", "Trần Thị Hoa") },
			answer: "1",
			check:  checkUnpaid,
		},
		{
			name: "xacnhan/chair moved to another unit/confirm", actor: "chutich",
			setup: pledgeOfAn, start: "/xacnhan\n1\n1\n1\n", ready: "Ghi nhận khoản nộp?",
			change: func(h *harness) { h.setRole("chutich", cd.RoleChair, "KBNN") },
			answer: "Ghi nhận",
			check:  checkUnpaid,
		},
		{
			name: "nopbaocao/chair moved to another unit/confirm", actor: "chutich",
			start: "/nopbaocao\n", ready: "Nộp báo cáo tháng này?",
			change: func(h *harness) { h.setRole("chutich", cd.RoleChair, "KBNN") },
			answer: "Nộp báo cáo tháng",
		},
		{
			name: "baocao/chair moved to another unit/unit report", actor: "chutich",
			start:  "/baocao\nCho cả đơn vị\nSinh hoạt định kỳ\nhôm nay\nSinh hoạt công đoàn tháng 11\n25\nbỏ qua\n",
			ready:  "• Của: cả đơn vị Sở Tư pháp",
			change: func(h *harness) { h.setRole("chutich", cd.RoleChair, "KBNN") },
			answer: "Lưu báo cáo",
		},
		{
			name: "baocao/chair demoted/report for a member", actor: "chutich",
			setup: func(h *harness) { h.registerActive("an", "Nguyễn Văn An") },
			start: "/baocao\nCho một đoàn viên (báo cáo hộ)\n", ready: "Báo cáo hộ đoàn viên nào?",
			change: func(h *harness) { h.demote("STP", "Trần Thị Hoa") },
			answer: "Nguyễn Văn An",
		},
		{
			name: "baocao/member left/confirm", actor: "an",
			setup: func(h *harness) { h.registerActive("an", "Nguyễn Văn An") },
			start: reportKhac, ready: "Kiểm tra lại báo cáo",
			change: func(h *harness) { h.setStatus("an", cd.StatusLeft) },
			answer: "Lưu báo cáo",
		},
		{
			name: "baocao/member moved to another unit/confirm", actor: "an",
			setup: func(h *harness) { h.registerActive("an", "Nguyễn Văn An") },
			start: reportKhac, ready: "Kiểm tra lại báo cáo",
			change: func(h *harness) { h.setRole("an", cd.RoleMember, "KBNN") },
			answer: "Lưu báo cáo",
		},
		{
			name: "ungho/member left/confirm", actor: "an",
			setup: func(h *harness) { h.registerActive("an", "Nguyễn Văn An") },
			start: "/ungho\n1\n300k\nKhông hẹn ngày\nHiện tên tôi\n", ready: "Lưu đăng ký?",
			change: func(h *harness) { h.setStatus("an", cd.StatusLeft) },
			answer: "Lưu đăng ký",
			check:  checkNoPledges,
		},
		{
			name: "ungho/account erased/confirm", actor: "an",
			setup: func(h *harness) { h.registerActive("an", "Nguyễn Văn An") },
			start: "/ungho\n1\n300k\nKhông hẹn ngày\nHiện tên tôi\n", ready: "Lưu đăng ký?",
			change: func(h *harness) { h.eraseKeepingFlow("an") },
			answer: "Lưu đăng ký",
			check:  checkNoPledges,
		},
		{
			name: "suabaocao/member left/desc", actor: "an",
			setup: func(h *harness) {
				h.registerActive("an", "Nguyễn Văn An")
				h.expect("@an "+reportKhac+"Lưu báo cáo\n", "Đã lưu báo cáo số 1.")
			},
			start: "/suabaocao 1\nNội dung\n", ready: "Mô tả ngắn hoạt động",
			change: func(h *harness) { h.setStatus("an", cd.StatusLeft) },
			answer: "Dọn kho lưu trữ",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.addMember("tinh2", "Phạm Văn Tỉnh", "TINH", cd.RoleProvinceAdmin, cd.StatusActive)
			if c.setup != nil {
				c.setup(h)
			}
			h.expect(prefixLines("@"+c.actor+" ", c.start), c.ready)
			c.change(h)
			before := h.auditActions()
			out := h.run("@" + c.actor + " " + c.answer + "\n")
			if !strings.Contains(out, "[bot → @"+c.actor+"] "+noLongerAllowed) {
				t.Fatalf("answer %q was not refused:\n%s", c.answer, out)
			}
			after := h.auditActions()
			if len(after) != len(before)+1 || after[0] != cd.AuditDenied {
				t.Fatalf("audit log gained %v, want only %s", after[:len(after)-len(before)], cd.AuditDenied)
			}
			if s := h.flowState(c.actor); s != "" {
				t.Fatalf("the flow goes on: %s", s)
			}
			if c.check != nil {
				c.check(t, h)
			}
		})
	}
	// Registration, open to anyone, goes on for a guest at every step.
	t.Run("dangky/guest", func(t *testing.T) {
		h := newHarness(t)
		h.register("khach", "Võ Thị Khách", "STP")
		if m := h.member("khach"); m == nil || m.Status != cd.StatusPending {
			t.Fatalf("guest not registered: %+v", m)
		}
	})
}

// prefixLines writes each line of a script as said by the same person.
func prefixLines(prefix, script string) string {
	lines := strings.Split(strings.TrimSuffix(script, "\n"), "\n")
	return prefix + strings.Join(lines, "\n") + "\n"
}

func pledgeOfAn(h *harness) {
	h.registerActive("an", "Nguyễn Văn An")
	h.pledge("an", "1", "300k", "Không hẹn ngày", "Hiện tên tôi")
}

func checkUnpaid(t *testing.T, h *harness) {
	for _, p := range h.pledges() {
		if p.Paid != 0 {
			t.Fatalf("payment recorded: %+v", p)
		}
	}
}

func checkNoPledges(t *testing.T, h *harness) {
	if ps := h.pledges(); len(ps) != 0 {
		t.Fatalf("pledges = %+v", ps)
	}
}

func checkStatus(user string, want cd.Status) func(t *testing.T, h *harness) {
	return func(t *testing.T, h *harness) {
		if m := h.member(user); m.Status != want {
			t.Fatalf("%s's status = %s, want %s", user, m.Status, want)
		}
	}
}

func checkNoUnit(code string) func(t *testing.T, h *harness) {
	return func(t *testing.T, h *harness) {
		err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
			_, err := tx.UnitByCode(code)
			return err
		})
		if cd.ErrorCode(err) != cd.ENOTFOUND {
			t.Fatalf("unit %s: %v, want not found", code, err)
		}
	}
}

// TestOldFlowStateExpires: a flow stored in a format the bot no longer
// reads (the old map of strings, an unknown flow or step, data that does
// not fit the flow's struct) is dropped with the expired message, never a
// crash; a current one goes on.
func TestOldFlowStateExpires(t *testing.T) {
	const expired = "Lựa chọn này đã hết hạn"
	cases := []struct {
		name, state, want string
	}{
		{"old map of strings", `{"name":"pledge","step":"amount","data":{"fund":"1"},`, expired},
		{"old map, no data", `{"name":"erase","step":"confirm",`, expired},
		{"unknown flow", `{"v":2,"name":"survey","step":"q1",`, expired},
		{"unknown step", `{"v":2,"name":"pledge","step":"amount2","data":{"fund":1},`, expired},
		{"data of the wrong type", `{"v":2,"name":"pledge","step":"amount","data":{"fund":"1"},`, expired},
		{"data with an unknown field", `{"v":2,"name":"pledge","step":"amount","data":{"fundID":1},`, expired},
		{"data not an object", `{"v":2,"name":"pledge","step":"amount","data":[1],`, expired},
		{"current", `{"v":2,"name":"pledge","step":"amount","data":{"fund":1},`, "hẹn nộp trước ngày nào"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.registerActive("an", "Nguyễn Văn An")
			state := c.state + `"at":"` + h.clock.Now().Format(time.RFC3339Nano) + `"}`
			err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
				return tx.SaveFlow(cd.PlatformConsole, "an", state)
			})
			if err != nil {
				t.Fatal(err)
			}
			out := h.expect("@an 500k\n", c.want)
			h.refuse(out, "Xin lỗi, bot gặp sự cố")
			if c.want != expired {
				return
			}
			if s := h.flowState("an"); s != "" {
				t.Fatalf("the old flow was kept: %s", s)
			}
			// The next message is not taken as an answer to the old flow.
			h.expect("@an 500k\n", "Bot chưa hiểu")
		})
	}
}
