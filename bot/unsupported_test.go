package bot_test

import (
	"context"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

func TestUnsupportedContentReply(t *testing.T) {
	h := newHarness(t)
	if err := h.bot.Handle(context.Background(), bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Unsupported: true}); err != nil {
		t.Fatal(err)
	}
	h.expect("", "bot chưa đọc được loại tin nhắn này")
}
