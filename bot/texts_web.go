package bot

import "fmt"

// The web dashboard: the /web command and the refusals its actions share
// with the chat.
const (
	txtWebOff  = "Trang quản trị trên web chưa được bật. Liên hệ cán bộ Công đoàn tỉnh phụ trách kỹ thuật."
	txtWebHelp = "Mở trang quản trị trên web (gửi liên kết đăng nhập)"
)

func txtWebLink(url string, minutes int) string {
	return fmt.Sprintf("Liên kết đăng nhập trang quản trị (dùng được một lần, trong %d phút):\n%s\nKhông chuyển liên kết này cho người khác. Gõ /web để lấy liên kết mới.", minutes, url)
}
