package zalooatest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SignatureHeader carries the signature of a webhook delivery.
const SignatureHeader = "X-ZEvent-Signature"

// User is a person on Zalo, with an id scoped to the OA.
type User struct{ ID string }

type userState struct {
	followed bool
	last     time.Time // last interaction
}

// NewUser makes a person who does not follow the OA yet.
func (s *Server) NewUser() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked(19)
	s.users[id] = &userState{}
	return User{ID: id}
}

// SetUser sets, without any webhook, whether u follows the OA and when u
// last interacted with it (for tests that start with many followers).
func (s *Server) SetUser(u User, followed bool, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = &userState{followed: followed, last: last}
}

// SetWebhook is the webhook URL of the OA's settings, where events go.
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = url
}

// Delivery is one webhook delivery: its body, and the signature and
// timestamp it was signed with.
type Delivery struct {
	Body      []byte
	Signature string
}

// event builds a signed delivery of an event of u at the fake's now.
func (s *Server) event(u User, name string, extra map[string]any) Delivery {
	s.mu.Lock()
	now := s.opts.Now()
	if st := s.users[u.ID]; st != nil && name != "unfollow" && name != "user_received_message" && name != "user_seen_message" {
		st.last = now
	}
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	ts := millis(now)
	ev := map[string]any{"app_id": s.opts.AppID, "user_id_by_app": fmt.Sprintf("9%018d", seq), "event_name": name, "timestamp": ts}
	for k, v := range extra {
		ev[k] = v
	}
	body, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return Delivery{Body: body, Signature: s.sign(body, ts)}
}

// message builds a user_send_* delivery from u with a fresh msg_id.
func (s *Server) message(u User, name string, msg map[string]any) (Delivery, string) {
	s.mu.Lock()
	id := s.newIDLocked(24)
	s.mu.Unlock()
	msg["msg_id"] = id
	return s.event(u, name, map[string]any{"sender": map[string]string{"id": u.ID},
		"recipient": map[string]string{"id": s.opts.OAID}, "message": msg}), id
}

// Follow makes u follow the OA and delivers the "follow" event.
func (s *Server) Follow(ctx context.Context, u User) (int, error) {
	s.mu.Lock()
	if st := s.users[u.ID]; st != nil {
		st.followed = true
	}
	s.mu.Unlock()
	d := s.event(u, "follow", map[string]any{"oa_id": s.opts.OAID, "follower": map[string]string{"id": u.ID},
		"source": "testing"})
	return s.Deliver(ctx, d)
}

// Unfollow makes u stop following the OA and delivers "unfollow".
func (s *Server) Unfollow(ctx context.Context, u User) (int, error) {
	s.mu.Lock()
	if st := s.users[u.ID]; st != nil {
		st.followed = false
	}
	s.mu.Unlock()
	d := s.event(u, "unfollow", map[string]any{"oa_id": s.opts.OAID, "follower": map[string]string{"id": u.ID}})
	return s.Deliver(ctx, d)
}

// Text builds the delivery of a text from u (not sent: see Deliver).
func (s *Server) Text(u User, text string) (Delivery, string) {
	return s.message(u, "user_send_text", map[string]any{"text": text})
}

// SendText delivers a text from u and returns the webhook's status.
func (s *Server) SendText(ctx context.Context, u User, text string) (int, error) {
	d, _ := s.Text(u, text)
	return s.Deliver(ctx, d)
}

// SendImage delivers an image from u: its URL (where the bot downloads
// it) and the text sent with it.
func (s *Server) SendImage(ctx context.Context, u User, imageURL, text string) (int, error) {
	d, _ := s.message(u, "user_send_image", map[string]any{"text": text, "attachments": []map[string]any{
		{"type": "image", "payload": map[string]string{"thumbnail": imageURL, "url": imageURL}}}})
	return s.Deliver(ctx, d)
}

// SendEvent delivers a message of another kind from u (user_send_sticker,
// user_send_file, ...).
func (s *Server) SendEvent(ctx context.Context, u User, name string, msg map[string]any) (int, error) {
	d, _ := s.message(u, name, msg)
	return s.Deliver(ctx, d)
}

// Echo delivers what Zalo sends back when the OA itself writes to u.
func (s *Server) Echo(ctx context.Context, u User, text string) (int, error) {
	s.mu.Lock()
	id := s.newIDLocked(24)
	s.mu.Unlock()
	d := s.event(User{ID: s.opts.OAID}, "oa_send_text", map[string]any{"sender": map[string]string{"id": s.opts.OAID},
		"recipient": map[string]string{"id": u.ID}, "message": map[string]any{"msg_id": id, "text": text}})
	return s.Deliver(ctx, d)
}

// Deliver posts a delivery to the webhook, signed as it says (an empty
// signature sends none), and returns the HTTP status.
func (s *Server) Deliver(ctx context.Context, d Delivery) (int, error) {
	s.mu.Lock()
	url := s.webhook
	s.mu.Unlock()
	if url == "" {
		return 0, fmt.Errorf("zalooatest: no webhook set")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if d.Signature != "" {
		req.Header.Set(SignatureHeader, d.Signature)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Sign signs body as Zalo would, with the timestamp in it.
func (s *Server) Sign(body []byte, timestamp string) string { return s.sign(body, timestamp) }
