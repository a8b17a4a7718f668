package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Events.
const (
	txtEventMenu        = "Sự kiện sắp tới của anh/chị:"
	txtNoEvents         = "Hiện không có sự kiện nào sắp tới dành cho anh/chị."
	txtNoEventsMaker    = "Hiện không có sự kiện nào sắp tới dành cho anh/chị. Anh/chị có thể tạo sự kiện mới hoặc quản lý sự kiện đã tạo."
	txtNoEventsMade     = "Anh/chị chưa tạo sự kiện nào. Gõ /taosukien để tạo."
	txtEventNew         = "Tạo sự kiện mới"
	txtEventsMine       = "Sự kiện tôi tổ chức"
	txtEventsMineAsk    = "Sự kiện nào?"
	txtRSVPAsk          = "Anh/chị có tham gia không?"
	txtGoing            = "Tham gia"
	txtNotGoing         = "Không tham gia"
	txtMaybe            = "Chưa chắc"
	txtEventAskName     = "Tên sự kiện (3–200 ký tự), ví dụ: Hội thao chào mừng ngày thành lập Công đoàn Việt Nam."
	txtEventAskStart    = "Bắt đầu lúc nào? Gõ ngày giờ, ví dụ 15/12/2026 08:00."
	txtEventAskPlace    = "Địa điểm, ví dụ: Nhà văn hóa tỉnh, 12 Trần Hưng Đạo."
	txtEventAskAudience = "Mời ai?"
	txtEventAskCapacity = "Số người tham gia tối đa? Gõ một số (ví dụ 50), hoặc chọn «Không giới hạn». Khi đủ chỗ, người đăng ký sau vào danh sách chờ."
	txtNoLimit          = "Không giới hạn"
	txtEventAskKind     = "Sự kiện tính là loại hoạt động nào? Mỗi người điểm danh sẽ được ghi một hoạt động loại này."
	txtEventAskCampaign = "Sự kiện tính cho phong trào nào?"
	txtEventSendOut     = "Gửi lời mời"
	txtOrgCode          = "Mã điểm danh"
	txtOrgTick          = "Điểm danh hộ"
	txtOrgList          = "Danh sách tham dự"
	txtNoAttendees      = "Chưa có ai trả lời lời mời. Đoàn viên tự điểm danh bằng mã; người đã trả lời sẽ hiện ở đây."
	txtTickDone         = "Đã xong điểm danh hộ."
	txtCheckInUsage     = "Gõ /diemdanh kèm mã điểm danh ban tổ chức đưa, ví dụ: /diemdanh 123456."
)

var eventReasonTexts = map[cd.Reason]string{
	cd.ReasonEventName:        "Tên sự kiện cần từ 3 đến 200 ký tự. Gõ lại tên.",
	cd.ReasonEventPlace:       "Địa điểm cần từ 2 đến 200 ký tự. Gõ lại địa điểm.",
	cd.ReasonEventTime:        "Thời gian bắt đầu chưa đúng: cần ngày giờ sắp tới, dạng 15/12/2026 08:00.",
	cd.ReasonEventEnd:         "Thời gian kết thúc chưa đúng: cần sau lúc bắt đầu (trong vòng 7 ngày), gõ giờ như 11:30 hoặc ngày giờ như 16/12/2026 17:00.",
	cd.ReasonEventCapacity:    "Số người tối đa cần là số nguyên từ 1 đến 100.000, hoặc chọn «Không giới hạn».",
	cd.ReasonEventNotFound:    "Không tìm thấy sự kiện này. Gõ /sukien để xem các sự kiện sắp tới.",
	cd.ReasonEventNotForYou:   "Sự kiện này không dành cho anh/chị. Gõ /sukien để xem các sự kiện của anh/chị.",
	cd.ReasonEventStarted:     "Sự kiện đã bắt đầu nên không đổi đăng ký được nữa.",
	cd.ReasonEventEnded:       "Sự kiện đã kết thúc.",
	cd.ReasonCheckInCode:      "Mã điểm danh không đúng. Anh/chị kiểm tra lại mã ban tổ chức đưa (6 chữ số).",
	cd.ReasonCheckInTooMany:   "Anh/chị đã gõ sai mã điểm danh nhiều lần. Vui lòng đợi 10 phút rồi thử lại.",
	cd.ReasonCheckInNotForYou: "Mã này là của một sự kiện không dành cho anh/chị.",
}

func init() { addReasonTexts(eventReasonTexts) }

var rsvpNames = map[cd.RSVP]string{
	cd.RSVPGoing:    "tham gia",
	cd.RSVPWaiting:  "danh sách chờ",
	cd.RSVPNotGoing: "không tham gia",
	cd.RSVPMaybe:    "chưa chắc",
	cd.RSVPNone:     "chưa trả lời",
}

func clock(l *locTime, t time.Time) string { return t.In(l.loc).Format("15:04") }

// txtEventWhen is an event's time: "09:30–11:30 ngày 25/11/2026", or
// start and end dates when it spans days.
func txtEventWhen(e *cd.Event, l *locTime) string {
	if l.date(e.Start) == l.date(e.End) {
		return fmt.Sprintf("%s–%s ngày %s", clock(l, e.Start), clock(l, e.End), l.date(e.Start))
	}
	return fmt.Sprintf("%s %s – %s %s", clock(l, e.Start), l.date(e.Start), clock(l, e.End), l.date(e.End))
}

func txtEventRef(e *cd.Event) string { return "/sukien_" + strconv.FormatInt(e.ID, 10) }

func txtEventLabel(e *cd.Event, l *locTime) string {
	return fmt.Sprintf("%s (%s %s)", cd.Truncate(e.Name, 40), clock(l, e.Start), cd.DateOf(e.Start, l.loc).Short())
}

func txtEventAskEnd(start string) string {
	return fmt.Sprintf("Kết thúc lúc nào? Bắt đầu %s; gõ giờ kết thúc (ví dụ 11:30), hoặc ngày giờ nếu sang ngày khác.", start)
}

// txtEventCounts is the kind, campaign and seats of an event.
func txtEventCounts(e *cd.Event, going, waiting int) string {
	var b strings.Builder
	b.WriteString("• Tính là: " + e.KindName)
	if e.CampaignName != "" {
		b.WriteString(" (phong trào " + e.CampaignName + ")")
	}
	if e.Capacity > 0 {
		fmt.Fprintf(&b, "\n• Số chỗ: %d, đã đăng ký %d", e.Capacity, going)
		if waiting > 0 {
			fmt.Fprintf(&b, ", %d người chờ", waiting)
		}
	} else {
		fmt.Fprintf(&b, "\n• Đã đăng ký tham gia: %d người", going)
	}
	return b.String()
}

func txtEventDetails(e *cd.Event, l *locTime, going, waiting int) string {
	return fmt.Sprintf("📅 %s (số %d)\n• Thời gian: %s\n• Địa điểm: %s\n%s", e.Name, e.ID, txtEventWhen(e, l), e.Place,
		txtEventCounts(e, going, waiting))
}

func txtMyRSVP(a *cd.Attendee, place int) string {
	switch {
	case a == nil || a.RSVP == cd.RSVPNone:
		return "Anh/chị chưa trả lời lời mời."
	case a.RSVP == cd.RSVPWaiting:
		return fmt.Sprintf("Anh/chị đang ở danh sách chờ, thứ %d.", place)
	}
	return "Anh/chị đã trả lời: " + rsvpNames[a.RSVP] + "."
}

func txtRSVPSame(e *cd.Event, was cd.RSVP) string {
	if was == cd.RSVPWaiting {
		return fmt.Sprintf("Anh/chị đã ở danh sách chờ của «%s»; bot sẽ báo ngay khi có chỗ.", e.Name)
	}
	return fmt.Sprintf("Anh/chị đã đăng ký tham gia «%s» rồi.", e.Name)
}

// txtReminders says which reminders are still to come at now.
func txtReminders(e *cd.Event, l *locTime, now time.Time) string {
	switch {
	case now.Before(e.DayBeforeAt(l.loc)):
		return " Bot sẽ nhắc lúc 08:00 hôm trước và 2 giờ trước khi bắt đầu."
	case now.Before(e.SoonAt()):
		return " Bot sẽ nhắc 2 giờ trước khi bắt đầu."
	}
	return ""
}

func txtRSVPSaved(e *cd.Event, l *locTime, now time.Time, rsvp cd.RSVP, place int) string {
	switch rsvp {
	case cd.RSVPGoing:
		return fmt.Sprintf("Đã ghi: anh/chị tham gia «%s» (%s, %s).%s Đổi ý: gõ %s.",
			e.Name, txtEventWhen(e, l), e.Place, txtReminders(e, l, now), txtEventRef(e))
	case cd.RSVPWaiting:
		return fmt.Sprintf("«%s» đã đủ %d chỗ. Anh/chị ở danh sách chờ, thứ %d; bot sẽ báo ngay khi có người rút và anh/chị có chỗ.",
			e.Name, e.Capacity, place)
	case cd.RSVPNotGoing:
		return fmt.Sprintf("Đã ghi: anh/chị không tham gia «%s». Đổi ý: gõ %s.", e.Name, txtEventRef(e))
	}
	return fmt.Sprintf("Đã ghi: anh/chị chưa chắc tham gia «%s». Khi quyết định, gõ %s.", e.Name, txtEventRef(e))
}

func txtMovedUp(e *cd.Event, l *locTime) string {
	return fmt.Sprintf("🎉 Đã có chỗ: anh/chị được chuyển từ danh sách chờ sang tham gia «%s» (%s, %s). Nếu không đi được, gõ %s để báo.",
		e.Name, txtEventWhen(e, l), e.Place, txtEventRef(e))
}

func txtEventPreview(e *cd.Event, l *locTime, who string, n int) string {
	return fmt.Sprintf("📅 %s\n• Thời gian: %s\n• Địa điểm: %s\n%s\n• Mời: %s (%d người)\n\nGửi lời mời?",
		e.Name, txtEventWhen(e, l), e.Place, txtEventCounts(e, 0, 0), who, n)
}

func txtEventInvitation(from string, e *cd.Event, l *locTime) string {
	return fmt.Sprintf("📅 %s mời anh/chị tham gia «%s»\n• Thời gian: %s\n• Địa điểm: %s\nTrả lời (Tham gia / Không tham gia / Chưa chắc): gõ %s.",
		from, e.Name, txtEventWhen(e, l), e.Place, txtEventRef(e))
}

func txtEventCreated(e *cd.Event, l *locTime, n int) string {
	return fmt.Sprintf("Đã gửi lời mời sự kiện số %d tới %d người. Điểm danh mở từ %s %s đến khi kết thúc; mã điểm danh, điểm danh hộ và danh sách tham dự: /quanlysukien_%d.",
		e.ID, n, clock(l, e.CheckInOpens()), l.date(e.CheckInOpens()), e.ID)
}

// txtCheckInWindow says when check-in is open, for a refusal.
func txtCheckInWindow(e *cd.Event, l *locTime, err error) string {
	if cd.ErrorReason(err) == cd.ReasonCheckInLate {
		return fmt.Sprintf("Sự kiện «%s» đã kết thúc lúc %s %s; không điểm danh được nữa.", e.Name, clock(l, e.End), l.date(e.End))
	}
	return fmt.Sprintf("Chưa đến giờ điểm danh «%s»: điểm danh mở từ %s %s (1 giờ trước khi bắt đầu) đến %s %s.",
		e.Name, clock(l, e.CheckInOpens()), l.date(e.CheckInOpens()), clock(l, e.End), l.date(e.End))
}

func txtCheckInCode(e *cd.Event, l *locTime, link string) string {
	text := fmt.Sprintf("Mã điểm danh «%s»: %s\nĐoàn viên gõ: /diemdanh %s\nMã dùng được từ %s %s đến %s %s.",
		e.Name, e.CheckInCode, e.CheckInCode, clock(l, e.CheckInOpens()), l.date(e.CheckInOpens()), clock(l, e.End), l.date(e.End))
	if link != "" {
		text += "\nTrên Telegram: quét mã QR trong ảnh (in ra để ở cửa) hoặc mở " + link + " là điểm danh ngay."
	}
	return text
}

func txtCheckInNotForYou(e *cd.Event) string {
	return fmt.Sprintf("Mã này là của sự kiện «%s», không dành cho anh/chị. Anh/chị kiểm tra lại mã của sự kiện mình dự.", e.Name)
}

func txtCheckedInAlready(e *cd.Event, l *locTime, a *cd.Attendee) string {
	return fmt.Sprintf("Anh/chị đã điểm danh «%s» lúc %s rồi.", e.Name, clock(l, a.CheckedInAt))
}

func txtCheckedIn(e *cd.Event, l *locTime) string {
	return fmt.Sprintf("✅ Đã điểm danh: «%s» (%s). Sau khi sự kiện kết thúc, bot ghi cho anh/chị một hoạt động «%s».",
		e.Name, txtEventWhen(e, l), e.KindName)
}

func txtTickLabel(a *cd.Attendee) string {
	label := fmt.Sprintf("%s (%s)", a.MemberName, a.UnitCode)
	if a.CheckedIn() {
		return txtTicked + label
	}
	return label
}

func txtTickAsk(more, none bool) string {
	switch {
	case none:
		return "Không có ai khớp tên này. Gõ vài chữ khác trong tên, hoặc chọn «Xong»."
	case more:
		return "Chọn người để điểm danh (chọn lại để bỏ). Danh sách dài: gõ vài chữ trong tên để tìm."
	}
	return "Chọn người để điểm danh (chọn lại để bỏ); ✅ là đã điểm danh. Xong thì chọn «Xong»."
}

func txtTickedOne(a *cd.Attendee) string {
	if a.CheckedIn() {
		return "✅ Đã điểm danh " + a.MemberName + ". Chọn người khác, hoặc «Xong»."
	}
	return "Đã bỏ điểm danh " + a.MemberName + ". Chọn người khác, hoặc «Xong»."
}

// attendanceListed is how many names the attendance list in chat shows.
const attendanceListed = 100

func txtAttendance(e *cd.Event, l *locTime, as []cd.Attendee) string {
	counts := map[cd.RSVP]int{}
	checked := 0
	for _, a := range as {
		counts[a.RSVP]++
		if a.CheckedIn() {
			checked++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Danh sách tham dự «%s» (%s): tham gia %d, chờ %d, chưa chắc %d, không tham gia %d; đã điểm danh %d.",
		e.Name, txtEventWhen(e, l), counts[cd.RSVPGoing], counts[cd.RSVPWaiting], counts[cd.RSVPMaybe], counts[cd.RSVPNotGoing], checked)
	for i, a := range as {
		if i == attendanceListed {
			fmt.Fprintf(&b, "\n… và %d người khác (đầy đủ: congdoanbot export event -id %d).", len(as)-attendanceListed, e.ID)
			break
		}
		in := "chưa điểm danh"
		if a.CheckedIn() {
			in = "✅ " + clock(l, a.CheckedInAt)
		}
		fmt.Fprintf(&b, "\n%d. %s (%s) — %s — %s", i+1, a.MemberName, a.UnitCode, rsvpNames[a.RSVP], in)
	}
	return b.String()
}

func txtEventReminderDay(e *cd.Event, l *locTime) string {
	return fmt.Sprintf("📅 Nhắc lịch ngày mai: «%s», %s, tại %s. Đến nơi, điểm danh bằng mã ban tổ chức đưa: /diemdanh MÃ. Không đi được: gõ %s để báo.",
		e.Name, txtEventWhen(e, l), e.Place, txtEventRef(e))
}

func txtEventReminderSoon(e *cd.Event, l *locTime) string {
	return fmt.Sprintf("⏰ Còn 2 giờ nữa: «%s» bắt đầu lúc %s tại %s.", e.Name, clock(l, e.Start), e.Place)
}

func txtEventActivity(e *cd.Event) string { return "Tham gia sự kiện «" + e.Name + "»" }

func txtEventEndedReport(e *cd.Event, credited int) string {
	return fmt.Sprintf("Sự kiện số %d «%s» đã kết thúc: đã ghi hoạt động «%s» cho %d người điểm danh.", e.ID, e.Name, e.KindName, credited)
}
