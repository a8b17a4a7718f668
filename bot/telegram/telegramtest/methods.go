package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// SentMessage is one message the bot sent or edited, as the server saw it.
type SentMessage struct {
	Method    string // "sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"
	ChatID    int64
	MessageID int    // the id assigned by sendX, or the id edited
	Text      string // text, or caption for sendPhoto/sendDocument; for editMessageReplyMarkup the unchanged text
	ParseMode string
	// ReplyMarkup is the reply_markup JSON as received ("" when absent);
	// the fields below are its parsed form.
	ReplyMarkup    string
	InlineKeyboard [][]InlineButton
	ReplyKeyboard  [][]KeyboardButton
	RemoveKeyboard bool
	File           *File // for sendPhoto and sendDocument
	Time           time.Time
}

// Buttons lists the inline buttons row by row, left to right.
func (m SentMessage) Buttons() []InlineButton {
	var out []InlineButton
	for _, row := range m.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// InlineButton is a button of an inline keyboard.
type InlineButton struct {
	Text         string
	CallbackData string
	URL          string
}

// KeyboardButton is a button of a reply keyboard.
type KeyboardButton struct {
	Text            string
	RequestContact  bool
	RequestLocation bool
}

// File is a photo or document the bot sent: either uploaded (multipart;
// Name, Size and Data are set, FileID is the id the server assigned) or by
// reference (FileID, or URL when the string was an http(s) URL).
type File struct {
	Field    string // "photo" or "document"
	FileID   string
	URL      string
	Name     string // base name of the upload (multipart filename)
	Size     int64
	Data     []byte
	Uploaded bool
}

// BotCommand is a command stored by setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type msgKey struct {
	chat int64
	id   int
}

// botMessage is the current state of a message the bot sent.
type botMessage struct {
	chat   int64
	id     int
	date   int64
	text   string // text or caption
	photo  bool
	file   *File
	inline [][]InlineButton
	markup json.RawMessage // inline keyboard as returned in Message.reply_markup
}

// Sent returns every message sent or edited so far, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// SentTo returns the messages sent to or edited in one chat, in order.
func (s *Server) SentTo(chatID int64) []SentMessage {
	var out []SentMessage
	for _, m := range s.Sent() {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent blocks until at least n messages were sent or edited in total,
// ctx ends, or the server closes.
func (s *Server) WaitSent(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return s.nsent >= n })
}

// SentCount is how many messages were sent or edited in total.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nsent
}

// Commands returns the commands set by setMyCommands for the default scope
// and no language_code.
func (s *Server) Commands() []BotCommand { return s.CommandsFor("default", "") }

// CommandsFor returns the commands set for a scope type ("default",
// "all_private_chats", ...) and language code.
func (s *Server) CommandsFor(scopeType, lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand(nil), s.commands[scopeType+"/"+lang]...)
}

func (s *Server) getMe(c *call) {
	c.ok(struct {
		User
		CanJoinGroups bool `json:"can_join_groups"`
		CanReadAll    bool `json:"can_read_all_group_messages"`
		Inline        bool `json:"supports_inline_queries"`
	}{User: s.bot, CanJoinGroups: true})
}

func (s *Server) sendMessage(c *call) {
	chatID, ok := s.targetChat(c)
	if !ok || !c.checkText(c.p["text"], 4096, "message text is empty", "message is too long") {
		return
	}
	mk, ok := c.markup()
	if !ok || !s.admit(c, chatID) {
		return
	}
	c.ok(s.record(c, chatID, c.p["text"], mk, nil))
}

func (s *Server) sendPhoto(c *call)    { s.sendFile(c, "photo") }
func (s *Server) sendDocument(c *call) { s.sendFile(c, "document") }

func (s *Server) sendFile(c *call, field string) {
	chatID, ok := s.targetChat(c)
	if !ok || !c.checkText(c.p["caption"], 1024, "", "message caption is too long") {
		return
	}
	f := c.files[field]
	if f == nil {
		ref := c.p[field]
		if ref == "" {
			c.fail(http.StatusBadRequest, "Bad Request: there is no "+field+" in the request")
			return
		}
		f = &File{Field: field, FileID: ref}
		if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
			f = &File{Field: field, URL: ref, Name: path.Base(ref)}
		}
	}
	mk, ok := c.markup()
	if !ok || !s.admit(c, chatID) {
		return
	}
	c.ok(s.record(c, chatID, c.p["caption"], mk, f))
}

// record stores a new bot message and returns its wire form.
func (s *Server) record(c *call, chatID int64, text string, mk markup, f *File) *wireMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if f != nil && f.FileID == "" {
		s.nextFID++
		f.FileID = fmt.Sprintf("BQACAgIAAx-%s-%d", f.Field, s.nextFID)
	}
	s.lastMsg[chatID]++
	m := &botMessage{chat: chatID, id: s.lastMsg[chatID], date: now.Unix(), text: text,
		photo: f != nil && f.Field == "photo", file: f}
	m.inline, m.markup = mk.inline, mk.inlineJSON()
	if !s.discard {
		s.msgs[msgKey{chatID, m.id}] = m
	}
	sent := s.appendSentLocked(c, m, mk, now)
	if s.onSend != nil {
		s.onSend(sent)
	}
	s.broadcastLocked()
	return s.wireLocked(m)
}

func (s *Server) appendSentLocked(c *call, m *botMessage, mk markup, now time.Time) SentMessage {
	sent := SentMessage{Method: c.method, ChatID: m.chat, MessageID: m.id,
		Text: m.text, ParseMode: c.p["parse_mode"], ReplyMarkup: mk.raw, InlineKeyboard: mk.inline,
		ReplyKeyboard: mk.keyboard, RemoveKeyboard: mk.remove, File: m.file, Time: now}
	if !s.discard {
		s.sent = append(s.sent, sent)
	}
	s.nsent++
	return sent
}

func (s *Server) editMessageText(c *call)        { s.edit(c, true) }
func (s *Server) editMessageReplyMarkup(c *call) { s.edit(c, false) }

// edit implements both edits. As on Telegram, an edit without reply_markup
// removes the inline keyboard, and an edit changing nothing is a 400.
func (s *Server) edit(c *call, withText bool) {
	chatID, ok := s.targetChat(c)
	if !ok {
		return
	}
	id, ok := c.intParam("message_id", 0)
	if !ok {
		return
	}
	if withText && !c.checkText(c.p["text"], 4096, "message text is empty", "message is too long") {
		return
	}
	mk, ok := c.markup()
	if !ok {
		return
	}
	if mk.keyboard != nil || mk.remove {
		c.fail(http.StatusBadRequest, "Bad Request: inline keyboard expected")
		return
	}
	s.mu.Lock()
	m := s.msgs[msgKey{chatID, int(id)}]
	var fail string
	switch {
	case m == nil:
		fail = "Bad Request: message to edit not found"
	case withText && m.file != nil:
		fail = "Bad Request: there is no text in the message to edit"
	case (!withText || c.p["text"] == m.text) && reflect.DeepEqual(mk.inline, m.inline):
		fail = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
	}
	if fail != "" {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, fail)
		return
	}
	if withText {
		m.text = c.p["text"]
	}
	m.inline, m.markup = mk.inline, mk.inlineJSON()
	now := s.now()
	s.appendSentLocked(c, m, mk, now)
	s.broadcastLocked()
	wm := s.wireLocked(m)
	wm.EditDate = now.Unix()
	s.mu.Unlock()
	c.ok(wm)
}

func (s *Server) sendChatAction(c *call) {
	if _, ok := s.targetChat(c); !ok {
		return
	}
	if c.p["action"] == "" {
		c.fail(http.StatusBadRequest, "Bad Request: wrong parameter action in request")
		return
	}
	c.ok(true)
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(c *call) {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(c.p["commands"]), &cmds); err != nil {
		c.fail(http.StatusBadRequest, "Bad Request: can't parse commands JSON object")
		return
	}
	for _, cmd := range cmds {
		if !commandRE.MatchString(cmd.Command) {
			c.fail(http.StatusBadRequest, "Bad Request: BOT_COMMAND_INVALID")
			return
		}
		if n := utf16Len(cmd.Description); n == 0 || n > 256 {
			c.fail(http.StatusBadRequest, "Bad Request: command description is empty or too long")
			return
		}
	}
	var scope struct{ Type string }
	_ = json.Unmarshal([]byte(c.p["scope"]), &scope)
	if scope.Type == "" {
		scope.Type = "default"
	}
	s.mu.Lock()
	s.commands[scope.Type+"/"+c.p["language_code"]] = cmds
	s.mu.Unlock()
	c.ok(true)
}

// targetChat parses chat_id and applies per-chat faults and
// RequireKnownChats; ok is false when the call was answered.
func (s *Server) targetChat(c *call) (int64, bool) {
	v := c.p["chat_id"]
	if v == "" {
		c.fail(http.StatusBadRequest, "Bad Request: chat_id is empty")
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	s.mu.Lock()
	kind := s.chatFaults[id]
	_, known := s.chats[id]
	s.mu.Unlock()
	switch {
	case err != nil || kind == FaultChatNotFound || (s.strict && !known && id < 0):
		c.fail(http.StatusBadRequest, "Bad Request: chat not found")
	case kind == FaultBlocked:
		c.fail(http.StatusForbidden, "Forbidden: bot was blocked by the user")
	case s.strict && !known:
		c.fail(http.StatusForbidden, "Forbidden: bot can't initiate conversation with a user")
	default:
		return id, true
	}
	return 0, false
}

// utf16Len counts UTF-16 code units, the unit of Telegram's text limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkText enforces 1..max UTF-16 units (empty allowed when emptyMsg is "").
// Telegram counts after entity parsing; the fake counts the raw text.
func (c *call) checkText(text string, max int, emptyMsg, longMsg string) bool {
	switch {
	case emptyMsg != "" && strings.TrimSpace(text) == "":
		c.fail(http.StatusBadRequest, "Bad Request: "+emptyMsg)
	case utf16Len(text) > max:
		c.fail(http.StatusBadRequest, "Bad Request: "+longMsg)
	default:
		return true
	}
	return false
}

// markup is a parsed reply_markup.
type markup struct {
	raw      string
	inline   [][]InlineButton
	keyboard [][]KeyboardButton
	remove   bool
}

func (mk markup) inlineJSON() json.RawMessage {
	if mk.inline == nil {
		return nil
	}
	return json.RawMessage(mk.raw)
}

// markup parses reply_markup; callback_data must be 1..64 bytes.
func (c *call) markup() (markup, bool) {
	mk := markup{raw: c.p["reply_markup"]}
	if mk.raw == "" {
		return mk, true
	}
	var w struct {
		Inline [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
			URL          string  `json:"url"`
		} `json:"inline_keyboard"`
		Keyboard [][]json.RawMessage `json:"keyboard"`
		Remove   bool                `json:"remove_keyboard"`
	}
	if err := json.Unmarshal([]byte(mk.raw), &w); err != nil {
		c.fail(http.StatusBadRequest, "Bad Request: can't parse reply keyboard markup JSON object")
		return mk, false
	}
	for _, row := range w.Inline {
		var out []InlineButton
		for _, b := range row {
			if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64) {
				c.fail(http.StatusBadRequest, "Bad Request: BUTTON_DATA_INVALID")
				return mk, false
			}
			ib := InlineButton{Text: b.Text, URL: b.URL}
			if b.CallbackData != nil {
				ib.CallbackData = *b.CallbackData
			}
			out = append(out, ib)
		}
		mk.inline = append(mk.inline, out)
	}
	for _, row := range w.Keyboard {
		var out []KeyboardButton
		for _, raw := range row {
			var b struct {
				Text            string `json:"text"`
				RequestContact  bool   `json:"request_contact"`
				RequestLocation bool   `json:"request_location"`
			}
			if json.Unmarshal(raw, &b.Text) != nil && json.Unmarshal(raw, &b) != nil {
				c.fail(http.StatusBadRequest, "Bad Request: can't parse keyboard button")
				return mk, false
			}
			out = append(out, KeyboardButton(b))
		}
		mk.keyboard = append(mk.keyboard, out)
	}
	mk.remove = w.Remove
	return mk, true
}

// wireLocked renders a bot message as the Bot API Message object.
func (s *Server) wireLocked(m *botMessage) *wireMessage {
	bot := s.bot
	wm := &wireMessage{MessageID: m.id, From: &bot, Chat: s.chatLocked(m.chat), Date: m.date, ReplyMarkup: m.markup}
	switch {
	case m.file == nil:
		wm.Text = m.text
	case m.photo:
		wm.Caption = m.text
		wm.Photo = []photoSize{{FileID: m.file.FileID, FileUniqueID: "u" + m.file.FileID,
			Width: 1280, Height: 960, FileSize: m.file.Size}}
	default:
		wm.Caption = m.text
		mt := mime.TypeByExtension(path.Ext(m.file.Name))
		if mt == "" {
			mt = "application/octet-stream"
		}
		wm.Document = &document{FileID: m.file.FileID, FileUniqueID: "u" + m.file.FileID,
			FileName: m.file.Name, MimeType: mt, FileSize: m.file.Size}
	}
	return wm
}
