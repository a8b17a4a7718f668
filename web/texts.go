package web

// The dashboard's own Vietnamese texts, kept together (the pages'
// headings and labels are in templates/; what the core says comes from
// the core, in the same words as in chat).
const (
	txtErrorTitle   = "Không thực hiện được"
	txtServerError  = "Xin lỗi, máy chủ gặp sự cố. Anh/chị thử lại sau ít phút; nếu vẫn lỗi, báo cán bộ Công đoàn tỉnh."
	txtNotFound     = "Không tìm thấy trang này."
	txtCSRF         = "Biểu mẫu đã cũ hoặc không gửi từ trang quản trị. Anh/chị tải lại trang rồi thử lại."
	txtLoginTitle   = "Đăng nhập"
	txtSessionEnded = "Phiên đăng nhập đã kết thúc. Anh/chị lấy liên kết mới bằng lệnh /web trong chat."
	txtLinkUsed     = "Liên kết này đã được dùng. Mỗi liên kết chỉ đăng nhập được một lần: gõ /web trong chat để lấy liên kết mới."
	txtLinkExpired  = "Liên kết đã hết hạn (chỉ dùng được trong 10 phút). Gõ /web trong chat để lấy liên kết mới."
	txtLinkUnknown  = "Liên kết không đúng. Gõ /web trong chat để lấy liên kết mới."
	txtNoAccess     = "Tài khoản này không còn quyền dùng trang quản trị (chỉ dành cho chủ tịch, phó chủ tịch công đoàn cơ sở và cán bộ Công đoàn tỉnh)."
	txtBadAmount    = "Số tiền hoặc ngày nộp chưa đúng."
	txtBadDate      = "Ngày chưa đúng: chọn ngày theo dạng ngày/tháng/năm."
	txtBadTime      = "Giờ gửi chưa đúng: chọn ngày và giờ."
	txtBadForm      = "Biểu mẫu thiếu thông tin. Anh/chị điền lại."

	titleOverview      = "Tổng quan"
	titleUnits         = "Đơn vị"
	titleMembers       = "Đoàn viên"
	titleActivities    = "Hoạt động"
	titleFunds         = "Quỹ"
	titleAnnouncements = "Thông báo"
	titleAudit         = "Nhật ký"
	titleDownloads     = "Tải về"
)

var roleNames = map[string]string{
	"member":         "Đoàn viên",
	"chair":          "Chủ tịch CĐCS",
	"deputy":         "Phó Chủ tịch CĐCS",
	"province_admin": "Cán bộ Công đoàn tỉnh",
}

var statusNames = map[string]string{
	"pending":  "Chờ duyệt",
	"active":   "Đang sinh hoạt",
	"rejected": "Bị từ chối",
	"left":     "Đã rời",
}

var pledgeStatusNames = map[string]string{
	"pledged":   "Chưa nộp",
	"partial":   "Nộp một phần",
	"paid":      "Đã nộp đủ",
	"withdrawn": "Đã rút",
}

var audienceNames = map[string]string{
	"all":    "Tất cả đoàn viên",
	"chairs": "Chủ tịch, phó chủ tịch CĐCS",
	"units":  "Đoàn viên của đơn vị đã chọn",
}

var announcementStatusNames = map[string]string{
	"scheduled": "Đã hẹn giờ",
	"queueing":  "Đang gửi", // its recipients are still being queued
	"sending":   "Đang gửi",
	"done":      "Đã gửi xong",
	"cancelled": "Đã dừng",
}

var actionNames = map[string]string{
	"member.":                  "Đoàn viên (mọi thao tác)",
	"member.register":          "Đăng ký",
	"member.approve":           "Duyệt đoàn viên",
	"member.reject":            "Từ chối đoàn viên",
	"member.role":              "Phân quyền",
	"member.delete_data":       "Xóa dữ liệu cá nhân",
	"member.link_account":      "Liên kết tài khoản",
	"member.admin_from_config": "Cán bộ tỉnh theo cấu hình",
	"unit.create":              "Thêm đơn vị",
	"activity.":                "Báo cáo hoạt động (mọi thao tác)",
	"report.":                  "Báo cáo tháng (nộp, mở khóa)",
	"campaign.create":          "Tạo phong trào",
	"fund.":                    "Quỹ (mọi thao tác)",
	"pledge.":                  "Đăng ký ủng hộ (mọi thao tác)",
	"payment.":                 "Xác nhận nộp tiền (mọi thao tác)",
	"announcement":             "Thông báo",
	"web.":                     "Trang quản trị (đăng nhập, đăng xuất)",
	"permission.denied":        "Bị từ chối quyền",
}
