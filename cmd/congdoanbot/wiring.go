package main

import (
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
)

// The packages declare what they need as small interfaces and import
// neither storage nor the renderers; this is where the concrete types are
// checked against them, at compile time.
var (
	_ bot.Renderer     = report.Renderer{}
	_ outbox.Store     = (*storage.DB)(nil)
	_ inbox.Store      = (*storage.DB)(nil)
	_ inbox.Failer     = (*storage.DB)(nil)
	_ telegram.Inbox   = (*storage.DB)(nil)
	_ zalo.Inbox       = (*storage.DB)(nil)
	_ zalo.MediaStore  = (*storage.DB)(nil)
	_ outbox.Deliverer = (*console.Printer)(nil)
	_ console.Handler  = (*bot.Bot)(nil)
	_ console.Drainer  = (*outbox.Sender)(nil)
)
