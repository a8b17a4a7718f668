package bot

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// flowState is a multi-step conversation in progress, stored in SQLite
// between messages so that it survives a restart.
type flowState struct {
	Name    string            `json:"name"`
	Step    string            `json:"step"`
	Data    map[string]string `json:"data,omitempty"`
	Choices []cd.Choice       `json:"choices,omitempty"`
	At      time.Time         `json:"at"` // when the flow last moved
}

// flowTTL is how long a flow waits for its next answer; an older one is
// forgotten, so that a message days later is not taken as the answer to
// a question long gone.
const flowTTL = 24 * time.Hour

func decodeFlow(s string) (*flowState, error) {
	if s == "" {
		return nil, nil
	}
	var f flowState
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return nil, err
	}
	if f.Data == nil {
		f.Data = map[string]string{}
	}
	return &f, nil
}

// key is the flow without its time: what says whether it moved.
func (f *flowState) key() string {
	if f == nil {
		return ""
	}
	g := *f
	g.At = time.Time{}
	s, _ := g.encode()
	return s
}

func (f *flowState) encode() (string, error) {
	b, err := json.Marshal(f)
	return string(b), err
}

func (f *flowState) get(k string) string { return f.Data[k] }

func (f *flowState) getInt(k string) int64 {
	n, _ := strconv.ParseInt(f.Data[k], 10, 64)
	return n
}

func (f *flowState) set(k, v string) { f.Data[k] = v }

func (f *flowState) setInt(k string, v int64) { f.Data[k] = strconv.FormatInt(v, 10) }

// input is what a flow step receives: the text typed, or the ID of the
// option chosen (by button, by number or by label).
type input struct {
	Text           string
	Choice         string
	Phone          string
	Photo          string
	ForeignContact bool
}

// resolve turns an update into a step's input. A pressed button must be
// one of the options of the current step (ok is false for a stale one); a
// typed number or label that names an option chooses it.
func (f *flowState) resolve(u Update, text string) (in input, ok bool) {
	in = input{Text: text, Phone: u.Phone, Photo: u.Photo, ForeignContact: u.ForeignContact}
	if u.Choice != "" {
		for _, c := range f.Choices {
			if c.ID == u.Choice {
				in.Choice = c.ID
				return in, true
			}
		}
		return in, false
	}
	if len(f.Choices) == 0 || text == "" {
		return in, true
	}
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(text), "["), "]")
	if n, err := strconv.Atoi(strings.TrimSuffix(t, ".")); err == nil {
		if n >= 1 && n <= len(f.Choices) {
			in.Choice = f.Choices[n-1].ID
		}
		return in, true
	}
	folded := cd.Fold(text)
	for _, c := range f.Choices {
		if cd.Fold(c.Label) == folded {
			in.Choice = c.ID
			return in, true
		}
	}
	return in, true
}

// offers reports whether text picks one of the current step's choices.
func (f *flowState) offers(text string) bool {
	in, _ := f.resolve(Update{}, text)
	return in.Choice != ""
}

// flowHandler runs one step of a flow.
type flowHandler func(r *request, in input) error
