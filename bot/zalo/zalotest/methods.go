package zalotest

import (
	"context"
	"net/http"
	"net/url"
	"time"
	"unicode/utf16"
)

// SentMessage is one message the bot sent, as the server accepted it.
type SentMessage struct {
	Method    string // "sendMessage" or "sendPhoto"
	ChatID    string
	MessageID string // the id the server assigned
	Text      string // sendMessage's text
	Photo     string // sendPhoto's URL
	Caption   string // sendPhoto's caption
	Time      time.Time
}

// ChatAction is one accepted sendChatAction.
type ChatAction struct {
	ChatID string
	Action string
	Time   time.Time
}

// Sent returns every message accepted so far, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// SentTo returns the messages accepted for one chat, in order.
func (s *Server) SentTo(chatID string) []SentMessage {
	var out []SentMessage
	for _, m := range s.Sent() {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent blocks until at least n messages were accepted in total, ctx
// ends, or the server closes.
func (s *Server) WaitSent(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return len(s.sent) >= n })
}

// ChatActions returns every accepted sendChatAction, in order.
func (s *Server) ChatActions() []ChatAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatAction(nil), s.actions...)
}

func (s *Server) getMe(c *call) {
	c.ok(map[string]any{"id": s.botID, "account_name": s.accountName, "account_type": "BASIC",
		"can_join_groups": false})
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// sendMessage accepts {chat_id, text} with text of 1 to MaxText UTF-16
// units, and answers {message_id, date}.
func (s *Server) sendMessage(c *call) {
	chatID, text := c.p["chat_id"], c.p["text"]
	if chatID == "" {
		c.fail(http.StatusBadRequest, "Bad Request: chat_id is required")
		return
	}
	if n := utf16Len(text); n < 1 || n > MaxText {
		c.fail(http.StatusBadRequest, "Bad Request: text must be 1 to 2000 characters")
		return
	}
	s.record(c, SentMessage{Method: "sendMessage", ChatID: chatID, Text: text})
}

// sendPhoto accepts {chat_id, photo, caption?} where photo is an http(s)
// URL (Zalo downloads it; the fake does not) and the caption at most
// MaxText UTF-16 units.
func (s *Server) sendPhoto(c *call) {
	chatID, photo, caption := c.p["chat_id"], c.p["photo"], c.p["caption"]
	if chatID == "" {
		c.fail(http.StatusBadRequest, "Bad Request: chat_id is required")
		return
	}
	if u, err := url.Parse(photo); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.fail(http.StatusBadRequest, "Bad Request: photo must be a public http(s) URL")
		return
	}
	if utf16Len(caption) > MaxText {
		c.fail(http.StatusBadRequest, "Bad Request: caption must be 1 to 2000 characters")
		return
	}
	s.record(c, SentMessage{Method: "sendPhoto", ChatID: chatID, Photo: photo, Caption: caption})
}

// record accepts a send unless the chat is unreachable, echoes it under
// Options.EchoSends, and answers {message_id, date}.
func (s *Server) record(c *call, m SentMessage) {
	s.mu.Lock()
	if s.unreachableLocked(m.ChatID) {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, errUnreachable)
		return
	}
	now := s.now()
	m.MessageID, m.Time = s.hexIDLocked(), now
	s.sent = append(s.sent, m)
	if s.echo {
		if m.Method == "sendPhoto" {
			s.echoLocked(m.ChatID, "photo", m.Photo)
		} else {
			s.echoLocked(m.ChatID, "text", m.Text)
		}
	}
	s.broadcastLocked()
	s.mu.Unlock()
	c.ok(map[string]any{"message_id": m.MessageID, "date": now.UnixMilli()})
}

// sendChatAction accepts {chat_id, action:"typing"}. Assumption:
// "upload_photo", documented as coming soon, and other actions get 400.
func (s *Server) sendChatAction(c *call) {
	chatID, action := c.p["chat_id"], c.p["action"]
	if chatID == "" {
		c.fail(http.StatusBadRequest, "Bad Request: chat_id is required")
		return
	}
	if action != "typing" {
		c.fail(http.StatusBadRequest, "Bad Request: unsupported action")
		return
	}
	s.mu.Lock()
	if s.unreachableLocked(chatID) {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, errUnreachable)
		return
	}
	s.actions = append(s.actions, ChatAction{ChatID: chatID, Action: action, Time: s.now()})
	s.broadcastLocked()
	s.mu.Unlock()
	c.ok(true)
}
