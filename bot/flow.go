package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// flowState is a multi-step conversation in progress, stored in SQLite
// between messages so that it survives a restart. Data holds the flow's
// own struct as JSON; a state of another version, of a flow or step the
// bot does not know, or whose data does not fit the flow's struct, is
// dropped as expired.
type flowState struct {
	Version int             `json:"v"`
	Name    string          `json:"name"`
	Step    string          `json:"step"`
	Data    json.RawMessage `json:"data,omitempty"`
	Choices []cd.Choice     `json:"choices,omitempty"`
	At      time.Time       `json:"at"` // when the flow last moved

	data any // Data decoded: a pointer to the flow's struct
}

// flowVersion marks states whose data is a flow's struct. Older states
// kept a map of strings.
const flowVersion = 2

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
	if f.data != nil {
		data, err := json.Marshal(f.data)
		if err != nil {
			return "", fmt.Errorf("encode data of flow %s: %w", f.Name, err)
		}
		f.Data = data
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// flowStep is one step of a flow: a constant of the flow's own step type
// (such as pledgeAmount, a pledgeStep), so that a step is named once and
// a typo does not compile.
type flowStep interface {
	// where names the flow and the step, as stored between messages.
	where() (flow, step string)
}

// flow is the multi-step conversation a command starts: its steps, and
// how to run one on the flow's data.
type flow struct {
	name   string
	steps  map[string]bool
	decode func(data json.RawMessage) (any, error)
	run    func(r *request, in input) error
}

// newFlow describes a flow by its step function and all its steps. The
// step function gets the step the flow is at, of the flow's step type,
// and the flow's data, as the flow's own struct D.
func newFlow[S interface {
	~string
	flowStep
}, D any](run func(r *request, s S, d *D, in input) error, steps ...S) *flow {
	f := &flow{steps: map[string]bool{}}
	for _, s := range steps {
		f.name, _ = s.where()
		f.steps[string(s)] = true
	}
	f.decode = func(data json.RawMessage) (any, error) {
		d := new(D)
		if len(data) == 0 {
			return d, nil
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		return d, dec.Decode(d)
	}
	f.run = func(r *request, in input) error {
		return run(r, S(r.flow.Step), flowData[D](r), in)
	}
	return f
}

// load checks that a stored state is one of this flow's, at one of its
// steps, and decodes its data; it reports false for a state it cannot
// take up.
func (f *flow) load(s *flowState) bool {
	if s.Version != flowVersion || s.Name != f.name || !f.steps[s.Step] {
		return false
	}
	d, err := f.decode(s.Data)
	if err != nil {
		return false
	}
	s.data = d
	return true
}

// flowData is the data of the flow in progress, as the flow's struct D:
// as loaded, or new when the flow began in this update.
func flowData[D any](r *request) *D {
	if d, ok := r.flow.data.(*D); ok {
		return d
	}
	if r.flow.data != nil {
		panic(fmt.Sprintf("flow %q holds %T, not %T", r.flow.Name, r.flow.data, new(D)))
	}
	d := new(D)
	r.flow.data = d
	return d
}

// startFlow begins a flow at a step without asking anything, for commands
// whose arguments answer the first question, and returns its data.
func startFlow[D any](r *request, s flowStep) *D {
	name, step := s.where()
	r.flow = &flowState{Version: flowVersion, Name: name, Step: step}
	return flowData[D](r)
}

// ask replies with a question and moves the flow to step s, remembering
// the offered choices so that a typed number or label can answer them.
// A step of another flow begins that flow, with empty data.
func (r *request) ask(s flowStep, msg cd.Message) {
	name, step := s.where()
	if r.flow == nil || r.flow.Name != name {
		r.flow = &flowState{Version: flowVersion, Name: name}
	}
	r.flow.Step = step
	r.flow.Choices = msg.Choices
	r.replies = append(r.replies, msg)
}

// askMenu offers the listed items and then the extra choices (a maker's)
// at step s, as menu, or as noneListed when no item is listed; with
// nothing at all to offer it replies none.
func askMenu(r *request, s flowStep, listed, extra []cd.Choice, menu, noneListed, none string) error {
	text := menu
	if len(listed) == 0 {
		text = noneListed
	}
	cs := append(listed, extra...)
	if len(cs) == 0 {
		r.reply(none)
		return nil
	}
	r.ask(s, cd.Message{Text: text, Choices: cs})
	return nil
}

// end finishes the flow in progress.
func (r *request) end() { r.flow = nil }

// flowCommand is the command whose flow the state belongs to, or nil.
func (b *Bot) flowCommand(name string) *command {
	for _, c := range b.commands {
		if c.Flow != nil && c.Flow.name == name {
			return c
		}
	}
	return nil
}

// step runs the answer to the current step of the flow in progress. A
// state the bot cannot take up is dropped as expired. Before every step
// the person's right to it is checked again: a role, a membership or a
// unit may have changed since the flow began.
func (b *Bot) step(r *request) error {
	c := b.flowCommand(r.flow.Name)
	if c == nil || !c.Flow.load(r.flow) {
		b.log.Info("dropping a flow state of another format", "user", cd.Key(r.u.Platform, r.u.UserID),
			"flow", r.flow.Name, "step", r.flow.Step)
		r.end()
		r.reply(txtExpired)
		return nil
	}
	ok, err := stillAllowed(r, c)
	if err != nil {
		return err
	}
	if !ok {
		what := c.Name + " step " + r.flow.Step
		r.end()
		r.reply(txtNoLongerAllowed)
		return r.audit(cd.AuditDenied, 0, 0, what)
	}
	in, ok := r.flow.resolve(r.u, r.text)
	if !ok {
		r.reply(txtExpired)
		return nil
	}
	r.choiceAccepted = r.u.Choice != ""
	return c.Flow.run(r, in)
}

// stillAllowed checks that the person may still take a step of c's flow:
// use the command, take the flow's steps and, where the flow holds what
// they act on, still act on it.
func stillAllowed(r *request, c *command) (bool, error) {
	if !allowed(r.me, max(c.Perm, c.FlowPerm)) {
		return false, nil
	}
	if c.Recheck == nil {
		return true, nil
	}
	return c.Recheck(r)
}

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
