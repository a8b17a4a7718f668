package bot

import (
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// perm is who may run a command. Each level includes the ones above it in
// power: a province admin may do what a chair may, and so on.
type perm int

const (
	permAnyone     perm = iota
	permRegistered      // has a membership record, pending or active
	permActive          // an active member
	permChair           // an active chair or deputy chair, or a province admin
	permAdmin           // an active province admin
)

// allowed reports whether m may use a command that needs p. Whether a
// chair acts on their own unit is checked where the unit is known, with
// Member.CanManageUnit.
func allowed(m *cd.Member, p perm) bool {
	switch p {
	case permAnyone:
		return true
	case permRegistered:
		return m != nil && (m.Status == cd.StatusPending || m.Status == cd.StatusActive)
	case permActive:
		return m.IsActive()
	case permChair:
		return m.IsProvinceAdmin() || m.IsActive() && (m.Role == cd.RoleChair || m.Role == cd.RoleDeputy)
	case permAdmin:
		return m.IsProvinceAdmin()
	}
	return false
}

// command is one thing a person can ask for, with the ways to type it.
type command struct {
	Name    string   // typed with a slash: /dangky
	Aliases []string // also accepted without a slash, diacritics optional
	Help    string   // one line, Vietnamese, for /trogiup and platform menus
	Perm    perm
	Hidden  bool // not listed in /trogiup (such as /start)
	// Listed, when set, says whether /trogiup lists the command for m
	// (registration is not offered to someone registered already).
	Listed func(m *cd.Member) bool
	Run    func(r *request, args string) error
	// Flow is the multi-step conversation the command starts, if any.
	// Before every step of it the router checks again that the person
	// may use the command (Perm), may take the flow's steps (FlowPerm,
	// when stricter: /donvi shows a chair their unit, only the province
	// goes on to add units) and, with Recheck, may still act on what the
	// flow holds, such as the unit a chair confirms payments for.
	Flow     *flow
	FlowPerm perm
	Recheck  func(r *request) (bool, error)
}

// CommandInfo describes a command for a platform's command menu.
type CommandInfo struct {
	Name        string
	Description string
}

// Commands lists the commands a platform menu shows to everyone, in
// order: those of members. Chairs and the province find theirs in
// /trogiup, which lists what each person may use.
func (b *Bot) Commands() []CommandInfo {
	var out []CommandInfo
	for _, c := range b.commands {
		if !c.Hidden && c.Perm <= permActive {
			out = append(out, CommandInfo{Name: c.Name, Description: c.Help})
		}
	}
	return out
}

// match finds the command a text asks for. "/dangky", "/DangKy@congdoanbot",
// "dang ky", "Đăng ký" all find registration. In the middle of a flow only
// the slash form or a text that is exactly an alias counts, so that an
// answer such as a description is not mistaken for a command.
func (b *Bot) match(text string, inFlow bool) (*command, string, bool) {
	if text == "" {
		return nil, "", false
	}
	if strings.HasPrefix(text, "/") {
		word, args, _ := strings.Cut(text[1:], " ")
		word, _, _ = strings.Cut(word, "@")
		if w, n, ok := strings.Cut(word, "_"); ok && args == "" {
			// "/khaosat_3" is "/khaosat 3": Telegram lets a reader tap it.
			word, args = w, n
		}
		w := cd.Fold(word)
		for _, c := range b.commands {
			if w == c.Name {
				return c, strings.TrimSpace(args), true
			}
			for _, a := range c.Aliases {
				if w == strings.ReplaceAll(cd.Fold(a), " ", "") {
					return c, strings.TrimSpace(args), true
				}
			}
		}
		return nil, "", false
	}
	folded := cd.Fold(text)
	for _, c := range b.commands {
		for _, a := range append([]string{c.Name}, c.Aliases...) {
			fa := cd.Fold(a)
			if folded == fa {
				return c, "", true
			}
			if !inFlow && strings.HasPrefix(folded, fa+" ") {
				// Keep the arguments as typed, diacritics and all.
				return c, strings.TrimSpace(cutWords(text, len(strings.Fields(fa)))), true
			}
		}
	}
	return nil, "", false
}

// cutWords drops the first n words of s.
func cutWords(s string, n int) string {
	f := strings.Fields(s)
	if n >= len(f) {
		return ""
	}
	return strings.Join(f[n:], " ")
}

// run checks the permission and runs a command. Starting a command ends
// any flow in progress; a refusal is answered politely and audited.
func (b *Bot) run(r *request, c *command, args string) error {
	if !allowed(r.me, c.Perm) {
		return r.deny(c.Name)
	}
	r.end()
	return c.Run(r, args)
}

// deny refuses an action and records the refusal.
func (r *request) deny(what string) error {
	switch {
	case r.me == nil:
		r.reply(txtDeniedGuest)
	case r.me.Status == cd.StatusPending:
		r.reply(txtDeniedPending)
	default:
		r.reply(txtDenied)
	}
	return r.audit(cd.AuditDenied, 0, 0, what)
}

func (b *Bot) commandTable() []*command {
	return []*command{
		{Name: "start", Hidden: true, Perm: permAnyone, Run: cmdStart},
		{Name: "dangky", Aliases: []string{"đăng ký", "dang ki"}, Help: "Đăng ký đoàn viên", Perm: permAnyone, Run: cmdRegister,
			Flow:   registerFlow(),
			Listed: func(m *cd.Member) bool { return m == nil || m.Status == cd.StatusRejected }},
		{Name: "baocao", Aliases: []string{"báo cáo"}, Help: "Báo cáo hoạt động", Perm: permActive, Run: cmdReport,
			Flow: reportFlow(), Recheck: reportRecheck},
		{Name: "cuatoi", Aliases: []string{"của tôi", "thông tin"}, Help: "Thông tin và báo cáo của tôi", Perm: permRegistered, Run: cmdProfile},
		{Name: "hoantac", Aliases: []string{"hoàn tác"}, Help: "Hoàn tác báo cáo vừa lưu (trong 15 phút)", Perm: permActive, Run: cmdUndo},
		{Name: "suabaocao", Aliases: []string{"sửa báo cáo"}, Help: "Sửa một báo cáo: /suabaocao số", Perm: permActive, Run: cmdEdit,
			Flow: editFlow()},
		{Name: "phongtrao", Aliases: []string{"phong trào", "thi đua"}, Help: "Phong trào thi đua và tiến độ", Perm: permActive, Run: cmdCampaigns,
			Flow: campaignFlow(), FlowPerm: permAdmin},
		{Name: "quy", Aliases: []string{"quỹ"}, Help: "Các quỹ: đã đăng ký, đã nộp, công khai theo đơn vị", Perm: permActive, Run: cmdFunds,
			Flow: fundFlow()},
		{Name: "ungho", Aliases: []string{"ủng hộ quỹ", "đăng ký ủng hộ"}, Help: "Đăng ký ủng hộ quỹ; đổi hoặc rút đăng ký", Perm: permActive, Run: cmdPledge,
			Flow: pledgeFlow()},
		{Name: "duyet", Aliases: []string{"duyệt"}, Help: "Duyệt đoàn viên mới", Perm: permChair, Run: cmdApprove,
			Flow: approveFlow(), Recheck: approveRecheck},
		{Name: "xacnhan", Aliases: []string{"xác nhận"}, Help: "Xác nhận tiền ủng hộ đoàn viên đã nộp: /xacnhan hoặc /xacnhan UH 12", Perm: permChair, Run: cmdConfirmPayment,
			Flow: paymentFlow(), Recheck: paymentRecheck},
		{Name: "donvi", Aliases: []string{"đơn vị"}, Help: "Đơn vị: tình hình trong tháng, quản lý đơn vị", Perm: permChair, Run: cmdUnits,
			Flow: unitsFlow(), FlowPerm: permAdmin},
		{Name: "nopbaocao", Aliases: []string{"nộp báo cáo"}, Help: "Nộp báo cáo tháng của đơn vị", Perm: permChair, Run: cmdSubmit,
			Flow: submitFlow(), Recheck: submitRecheck,
			Listed: func(m *cd.Member) bool { return !m.IsProvinceAdmin() }},
		{Name: "tonghop", Aliases: []string{"tổng hợp"}, Help: "Tổng hợp tháng: /tonghop hoặc /tonghop 10/2026", Perm: permChair, Run: cmdSummary},
		{Name: "mokhoa", Aliases: []string{"mở khóa", "mở khoá"}, Help: "Mở khóa báo cáo tháng: /mokhoa STP 10/2026", Perm: permAdmin, Run: cmdUnlock},
		{Name: "loaihoatdong", Aliases: []string{"loại hoạt động"}, Help: "Các loại hoạt động: thêm, ẩn, hiện", Perm: permAdmin, Run: cmdKinds,
			Flow: kindsFlow()},
		{Name: "thongbao", Aliases: []string{"thông báo", "phát động"}, Help: "Gửi thông báo tới đoàn viên (ngay hoặc hẹn giờ)", Perm: permAdmin, Run: cmdAnnounce,
			Flow: announceFlow()},
		{Name: "huythongbao", Aliases: []string{"hủy thông báo", "huỷ thông báo"}, Help: "Dừng thông báo đang gửi hoặc đã hẹn", Perm: permAdmin, Run: cmdCancelAnnouncement},
		{Name: "phanquyen", Aliases: []string{"phân quyền"}, Help: "Phân quyền chủ tịch, phó chủ tịch", Perm: permAdmin, Run: cmdRoles,
			Flow: rolesFlow()},
		{Name: "khaosat", Aliases: []string{"khảo sát"}, Help: "Khảo sát ý kiến đoàn viên: trả lời, xem kết quả", Perm: permActive, Run: cmdSurvey,
			Flow: surveyFlow(), Recheck: surveyRecheck},
		{Name: "taokhaosat", Aliases: []string{"tạo khảo sát"}, Help: "Tạo khảo sát (ẩn danh hoặc ghi tên)", Perm: permChair, Run: cmdNewSurvey,
			Flow: surveyNewFlow()},
		{Name: "ketquakhaosat", Hidden: true, Perm: permChair, Run: cmdSurveyResults, Flow: surveyResultsFlow()},
		{Name: "sukien", Aliases: []string{"sự kiện"}, Help: "Sự kiện: lời mời, đăng ký tham gia", Perm: permActive, Run: cmdEvents,
			Flow: eventFlow(), Recheck: eventRecheck},
		{Name: "taosukien", Aliases: []string{"tạo sự kiện"}, Help: "Tạo sự kiện, mời đoàn viên; điểm danh bằng mã", Perm: permChair, Run: cmdNewEvent,
			Flow: eventNewFlow()},
		{Name: "quanlysukien", Hidden: true, Perm: permChair, Run: cmdManageEvents, Flow: eventOrgFlow(), Recheck: eventOrgRecheck},
		{Name: "diemdanh", Aliases: []string{"điểm danh"}, Help: "Điểm danh tại sự kiện: /diemdanh MÃ", Perm: permActive, Run: cmdCheckIn},
		{Name: "web", Aliases: []string{"trang quản trị"}, Help: txtWebHelp, Perm: permChair, Run: cmdWeb},
		{Name: "lienket", Aliases: []string{"liên kết"}, Help: "Liên kết tài khoản Telegram và Zalo của tôi", Perm: permAnyone, Run: cmdLink},
		{Name: "xoataikhoan", Aliases: []string{"xóa tài khoản", "xoá tài khoản"}, Help: "Xóa dữ liệu cá nhân của tôi", Perm: permRegistered, Run: cmdErase,
			Flow: eraseFlow()},
		{Name: "huy", Aliases: []string{"hủy", "huỷ", "cancel"}, Help: "Hủy thao tác đang làm", Perm: permAnyone, Run: cmdCancel},
		{Name: "trogiup", Aliases: []string{"trợ giúp", "help", "giúp"}, Help: "Danh sách lệnh", Perm: permAnyone, Run: cmdHelp},
	}
}

func cmdHelp(r *request, _ string) error {
	var b strings.Builder
	b.WriteString(txtHelpHeader)
	for _, c := range r.b.commands {
		if c.Hidden || !allowed(r.me, c.Perm) || c.Listed != nil && !c.Listed(r.me) {
			continue
		}
		b.WriteString("\n/" + c.Name + " — " + c.Help)
	}
	b.WriteString("\n\n" + txtHelpFooter)
	r.reply(b.String())
	return nil
}

func cmdCancel(r *request, _ string) error {
	// run has ended the flow already; say whether there was one.
	state, err := r.tx.Flow(r.u.Platform, r.u.UserID)
	if err != nil {
		return err
	}
	if state == "" {
		r.reply(txtNothingToCancel)
	} else {
		r.reply(txtCancelled)
	}
	return nil
}

func cmdStart(r *request, args string) error {
	if strings.HasPrefix(args, checkInStart) { // a check-in link
		return cmdCheckIn(r, args)
	}
	if r.me == nil || r.me.Status == cd.StatusRejected {
		return cmdRegister(r, args)
	}
	if r.me.Status == cd.StatusPending {
		r.reply(txtAlreadyRegistered(r.me))
		return nil
	}
	r.reply(txtWelcomeMember(r.me))
	return nil
}
