package bot

import (
	"fmt"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Texts of the Zalo Official Account.

// txtLinkFromOA names where a member on the Zalo OA types the linking code.
const txtLinkFromOA = "Telegram hoặc bot Zalo"

func txtOAFollowGuest(province string) string {
	return fmt.Sprintf("Chào anh/chị! Cảm ơn anh/chị đã quan tâm Zalo OA của %s. Đây là trợ lý tự động (bot) của Công đoàn.\n"+
		"• Để đăng ký đoàn viên, gõ /dangky.\n"+
		"• Nếu đã đăng ký trên Telegram hoặc bot Zalo, gõ /lienket ở đó để lấy mã, rồi gõ /lienket kèm mã ở đây.\n"+
		"• Gõ /trogiup để xem các lệnh.", province)
}

func txtOAFollowMember(m *cd.Member) string {
	return fmt.Sprintf("Chào mừng anh/chị %s quay lại! Bot sẽ nhắn tin cho anh/chị qua Zalo OA này. Gõ /trogiup để xem các lệnh.", m.FullName)
}

// txtWindow is a reply window in words: "7 ngày", "48 giờ".
func txtWindow(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d ngày", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d giờ", int(d.Round(time.Hour)/time.Hour))
}

func txtAnnOAReach(r cd.OAReach, window time.Duration) string {
	if r.Outside == 0 {
		return fmt.Sprintf("Trong số này, %d người nhận qua Zalo OA (đều đã nhắn cho OA trong %s qua).", r.OnOA, txtWindow(window))
	}
	return fmt.Sprintf("Trong số này, %d người nhận qua Zalo OA; %d người đã quá %s không nhắn cho OA nên OA không được nhắn cho họ: "+
		"%d người sẽ nhận qua tài khoản khác (Telegram hoặc bot Zalo), %d người sẽ không nhận được (có tên trong danh sách chưa liên lạc được).",
		r.OnOA, r.Outside, txtWindow(window), r.Rerouted, r.NotReached)
}

// withNote puts a note into an announcement's preview, before the quoted
// text.
func withNote(preview, note string) string {
	if note == "" {
		return preview
	}
	if i := strings.Index(preview, "\n———\n"); i >= 0 {
		return preview[:i] + "\n" + note + preview[i:]
	}
	return preview + "\n" + note
}

func txtOAAlert(kind OAAlert, until string, days int) string {
	switch kind {
	case OAAlertRefreshFailed:
		return "Cảnh báo: bot chưa gia hạn được mã truy cập Zalo OA (Zalo hoặc đường truyền đang lỗi); bot sẽ tự thử lại. " +
			"Nếu tình trạng kéo dài, quản trị viên máy chủ cần kiểm tra kết nối và mục [zalo_oa] của cấu hình. Các tin chưa gửi vẫn được giữ."
	case OAAlertExpiring:
		return fmt.Sprintf("Cảnh báo: mã gia hạn (refresh token) Zalo OA của bot hết hạn lúc %s (còn %d ngày). "+
			"Nếu bot không tự gia hạn được trước lúc đó, quản trị viên máy chủ cần chạy lệnh: congdoanbot zalo-oa authorize", until, days)
	}
	return "Cảnh báo: bot không còn quyền gửi tin qua Zalo OA (Zalo từ chối mã gia hạn, hoặc OA chưa được cấp quyền). " +
		"Quản trị viên máy chủ cần chạy lệnh: congdoanbot zalo-oa authorize. Các tin chưa gửi vẫn được giữ và sẽ gửi khi có quyền lại."
}
