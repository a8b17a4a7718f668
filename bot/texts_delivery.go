package bot

import "fmt"

// Texts of delivery: announcements queued in chunks, messages waiting on a
// platform that is not running.

// txtAnnOfflineNote follows a delivery report when some recipients use
// only a platform the bot does not run now; "" when none.
func txtAnnOfflineNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("\n%d người không nhận được vì chỉ dùng nền tảng mà bot đang không chạy (chưa kết nối hoặc đang dừng).", n)
}
