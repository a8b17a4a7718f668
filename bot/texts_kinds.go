package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// Kinds of activity.
const (
	txtKindsHeader      = "Các loại hoạt động (đoàn viên chọn khi báo cáo):"
	txtKindAdd          = "Thêm loại hoạt động"
	txtKindToggle       = "Ẩn hoặc hiện một loại"
	txtKindPickToggle   = "Chọn loại cần ẩn (hoặc hiện lại). Báo cáo cũ của loại bị ẩn vẫn được tính."
	txtKindAskName      = "Tên loại hoạt động mới (ví dụ: Trồng cây xanh):"
	txtKindAskMeasure   = "Báo cáo loại này tính bằng gì (dùng cho chỉ tiêu và xếp hạng)?"
	txtMeasureCount     = "Số báo cáo"
	txtMeasurePeople    = "Số người"
	txtMeasureAmount    = "Số tiền"
	txtMeasureQuantity  = "Số lượng theo đơn vị riêng"
	txtKindAskUnit      = "Đơn vị tính (ví dụ: cây, lớp, suất quà):"
	txtAskPeopleDefault = "Số người tham gia"
	txtAskAmountDefault = "Số tiền"
)

func txtKindLine(k *cd.ActivityKind) string {
	s := k.Name
	if !k.Active {
		s += " (đang ẩn)"
	}
	return s
}

func txtKindToggled(k *cd.ActivityKind) string {
	if k.Active {
		return fmt.Sprintf("Đã hiện lại loại «%s».", k.Name)
	}
	return fmt.Sprintf("Đã ẩn loại «%s»; báo cáo cũ vẫn được tính.", k.Name)
}

func txtKindCreated(k *cd.ActivityKind) string {
	return fmt.Sprintf("Đã thêm loại hoạt động «%s». Đoàn viên chọn được ngay khi báo cáo.", k.Name)
}
