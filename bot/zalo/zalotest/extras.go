package zalotest

import "context"

// EventSticker is the event of a sticker message.
const EventSticker = "message.sticker.received"

// SendSticker queues a sticker message from user in their private chat
// (event message.sticker.received, the sticker id in "sticker") and
// returns its message_id.
func (s *Server) SendSticker(from User, stickerID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[from.ID] = true
	m, id := s.messageLocked(from.ID, from.DisplayName, false, from.ID)
	m["sticker"] = stickerID
	return s.enqueueLocked(EventSticker, m, id)
}

// SendGroupText queues a text message from user in the group groupID
// (chat_type GROUP, in beta on Zalo, which passes on only the messages
// that mention the bot) and returns its message_id. Assumption: the text
// arrives as typed, mention included.
func (s *Server) SendGroupText(from User, groupID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[groupID] = true
	m, id := s.messageLocked(from.ID, from.DisplayName, false, groupID)
	m["chat"] = map[string]any{"id": groupID, "chat_type": "GROUP"}
	m["text"] = text
	return s.enqueueLocked(EventText, m, id)
}

// WaitWebhook blocks until a webhook is set, ctx ends, or the server
// closes.
func (s *Server) WaitWebhook(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.hook.url != "" })
}

// WaitCalls blocks until at least n requests reached method (as Calls
// counts them), ctx ends, or the server closes.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) error {
	return s.waitFor(ctx, func() bool { return s.calls[method] >= n })
}
