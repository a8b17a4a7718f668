package bot

import "fmt"

// Texts the platform adapters and the demo show, kept here with the rest.
const (
	// TextChoiceHint ends a numbered list of choices on platforms without
	// buttons (Zalo): a typed number or label answers.
	TextChoiceHint = "(Trả lời bằng số thứ tự)"
	// TextSharePhone is Telegram's button that shares the person's own number.
	TextSharePhone = "📱 Gửi số điện thoại của tôi"
	// TextPhonePlaceholder is the hint in Telegram's input field at the phone step.
	TextPhonePlaceholder = "Ví dụ: 0912345678"
)

// TextDemoIntro greets someone running the console demo in a terminal.
func TextDemoIntro(province string) string {
	return fmt.Sprintf("Bản demo %s: mỗi dòng là một tin nhắn «@tên nội dung» (ví dụ: @an /dangky, @chutich /duyet, @tinh /donvi). Ctrl-D để thoát.", province)
}

func txtPlatformHalted(platform string) string {
	return fmt.Sprintf("Cảnh báo: bot đã ngừng gửi tin trên %s vì mã truy cập (token) bị từ chối. Quản trị viên cần cấp lại token mới và khởi động lại bot; các tin chưa gửi vẫn được giữ.", platform)
}
