package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Activity reports.
const (
	// Campaigns.
	txtNoCampaigns      = "Hiện không có phong trào nào đang diễn ra."
	txtCampaignNew      = "Tạo phong trào mới"
	txtCampaignAskName  = "Tên phong trào (ví dụ: Lao động giỏi, Lao động sáng tạo):"
	txtCampaignAskDesc  = "Mô tả ngắn phong trào (hoặc chọn «Bỏ qua»):"
	txtCampaignAskStart = "Ngày bắt đầu (dd/mm/yyyy, hoặc «hôm nay»):"
	txtCampaignAskEnd   = "Ngày kết thúc (dd/mm/yyyy):"
	txtCampaignKinds    = "Chọn các loại hoạt động được tính (chọn từng loại; chọn lại để bỏ), rồi chọn «Xong»."
	txtDone             = "Xong"
	txtCreateCampaign   = "Tạo phong trào"
	txtCampaignMenu     = "Phong trào thi đua: chọn phong trào để xem bảng thi đua, hoặc tạo phong trào mới."
)

func txtCampaignHeader(c *cd.Campaign) string {
	return fmt.Sprintf("«%s» (%s – %s)", c.Name, c.Start.Display(), c.End.Display())
}

func txtProgressLine(k *cd.ActivityKind, value, target int64) string {
	unit := measureUnit(k)
	if target > 0 {
		pct := value * 100 / target
		return fmt.Sprintf("• %s: %s/%s %s (%d%%)", k.Name, cd.GroupThousands(value), cd.GroupThousands(target), unit, pct)
	}
	return fmt.Sprintf("• %s: %s %s", k.Name, cd.GroupThousands(value), unit)
}

func measureUnit(k *cd.ActivityKind) string {
	switch k.Measure {
	case cd.MeasurePeople:
		return "người"
	case cd.MeasureAmount:
		return "đ"
	case cd.MeasureQuantity:
		return k.QuantityUnit
	}
	return "báo cáo"
}

func txtRankLine(p *cd.UnitProgress) string {
	return fmt.Sprintf("%d. %s (%s): %d%% chỉ tiêu, %d báo cáo", p.Rank, p.Unit.Name, p.Unit.Code, int(p.Score*100+0.5), p.Reports)
}

func txtCampaignAskTarget(k *cd.ActivityKind) string {
	return fmt.Sprintf("Chỉ tiêu «%s» cho mỗi công đoàn cơ sở (tính bằng %s)? Gõ một số (gõ 0 nếu không đặt chỉ tiêu).", k.Name, measureUnit(k))
}

func txtCampaignConfirm(c *cd.Campaign, kinds map[string]*cd.ActivityKind) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tạo phong trào?\n• Tên: %s\n• Thời gian: %s – %s\n", c.Name, c.Start.Display(), c.End.Display())
	if c.Description != "" {
		fmt.Fprintf(&b, "• Mô tả: %s\n", c.Description)
	}
	b.WriteString("• Tính các hoạt động:")
	for _, code := range c.Kinds {
		k := kinds[code]
		fmt.Fprintf(&b, "\n   – %s", k.Name)
		if t := c.TargetFor(0, code); t > 0 {
			fmt.Fprintf(&b, ": chỉ tiêu %s %s mỗi CĐCS", cd.GroupThousands(t), measureUnit(k))
		}
	}
	return b.String()
}

const (
	txtUnitTargetSet     = "Đặt chỉ tiêu riêng cho một đơn vị"
	txtUnitTargetAskUnit = "Đơn vị nào? Gõ mã (ví dụ STP) hoặc tên công đoàn cơ sở."
)

func txtUnitTargetAskKind(unit string) string {
	return fmt.Sprintf("Chỉ tiêu riêng của %s cho loại hoạt động nào?", unit)
}

func txtUnitTargetSaved(c *cd.Campaign, u *cd.Unit, k *cd.ActivityKind, n int64) string {
	return fmt.Sprintf("Đã đặt chỉ tiêu riêng của %s trong «%s»: %s %s %s (thay cho chỉ tiêu chung).", u.Name, c.Name,
		k.Name, cd.GroupThousands(n), measureUnit(k))
}

func txtCampaignCreated(c *cd.Campaign) string {
	return fmt.Sprintf("Đã tạo phong trào «%s» (số %d). Đoàn viên chọn phong trào này khi báo cáo hoạt động.", c.Name, c.ID)
}
