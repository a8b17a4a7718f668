// Package bot is the conversation core: commands, multi-step flows,
// permissions and texts. It knows no chat platform and no SQL: adapters
// turn platform updates into Update values, and the core writes its
// replies to the durable outbox through the small Store interface it
// declares here.
package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	cd "github.com/congdoanbot/congdoanbot"
)

// Update is one thing a person did in a chat, in platform-neutral terms.
type Update struct {
	Platform    cd.Platform
	UserID      string // the person, as the platform names them
	ChatID      string // where to answer
	DisplayName string
	Text        string
	Choice      string // the ID of a chosen option (a pressed button)
	Phone       string // a phone number the person shared (their own)
	// ForeignContact: the person shared someone else's contact card,
	// which is never taken as their phone number.
	ForeignContact bool
	Photo          string // a platform reference to a photo the person sent
	// Unsupported: the platform withheld the content (Zalo does for
	// legally protected users).
	Unsupported bool
	InboxID     int64 // the inbox row this update came from, if any
}

// flowStore is the plumbing every update's transaction uses: the
// transaction's clock, the audit trail, the person's flow state between
// messages, and the inbox row the update came from.
type flowStore interface {
	Now() time.Time
	Audit(e cd.AuditEntry) error
	Flow(p cd.Platform, userID string) (string, error)
	SaveFlow(p cd.Platform, userID, state string) error
	InboxDone(id int64, errText string) (bool, error)
}

// outboxStore queues messages in the durable outbox: replies, notices,
// announcements and reminders, each to an address or to a member's
// usual account.
type outboxStore interface {
	Enqueue(item *cd.OutboxItem) (bool, error)
	AddressOf(memberID int64) (cd.Address, bool, error)
}

// Tx is what the core needs from storage inside one transaction: the
// union of the small per-noun interfaces each feature declares beside
// its code. The storage package's *Tx implements it.
type Tx interface {
	flowStore
	outboxStore
	unitStore
	memberStore
	linkStore
	kindStore
	activityStore
	campaignStore
	unitReportStore
	announcementStore
	fundStore
	pledgeStore
	surveyStore
	eventStore
	webStore
}

// Store runs a function in one write transaction.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
}

// StoreOf adapts a storage's Update method, whatever its concrete
// transaction type, to Store: bot.StoreOf(db.Update).
func StoreOf[T Tx](update func(context.Context, func(T) error) error) Store {
	return storeFunc(func(ctx context.Context, fn func(Tx) error) error {
		return update(ctx, func(t T) error { return fn(t) })
	})
}

type storeFunc func(ctx context.Context, fn func(Tx) error) error

func (f storeFunc) Update(ctx context.Context, fn func(Tx) error) error { return f(ctx, fn) }

// Config holds the core's settings.
type Config struct {
	ProvinceName string
	Location     *time.Location // default Asia/Ho_Chi_Minh
	// Admins lists "platform:user_id" keys of province admins, recognised
	// from their first message.
	Admins []string
	// FloodPerMinute is how many messages one person may send in a minute
	// before the bot warns once and ignores the rest. Default 20.
	FloodPerMinute int
	// MaxInput is the longest message, in characters, the core accepts.
	// Default 4000.
	MaxInput int
	// ReportWindowDays is how far back an activity may be dated. Default 45.
	ReportWindowDays int
	// ReportDeadlineDay is the day of the month by which a grassroots
	// union submits its monthly report. Default 25.
	ReportDeadlineDay int
	// UndoWindow is how long a saved report can be undone. Default 15 min.
	UndoWindow time.Duration
	// SendRate is the messages per second the busiest sender delivers, for
	// the time estimates of announcements. Default 25 (Telegram's).
	SendRate float64
	// OAWindow is how long after a person's last interaction the Zalo OA
	// may write to them, for announcement previews. Default
	// DefaultOAWindow (7 days).
	OAWindow time.Duration
	// MoneyMin and MoneyMax bound every amount of money asked for (a
	// pledge, a payment), in đồng. Defaults cd.DefaultMoneyMin (1.000 đ)
	// and cd.DefaultMoneyMax (1 tỷ).
	MoneyMin, MoneyMax int64
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// WebURL is the public address of the web dashboard (its base_url),
	// for the sign-in links /web sends; empty when it is off.
	WebURL string
	// Wake is called after a transaction that queued messages commits, with
	// the platforms concerned, so that their senders look at the outbox.
	Wake func(cd.Platform)
	// Renderer draws the files of reports, summaries and pledges
	// (report.Renderer). Without it, asking for one fails.
	Renderer Renderer
	// Running lists the platforms a sender runs for now. Announcements go
	// to members' accounts there, and their messages waiting on any other
	// platform are sent on to another account or given up. Nil: every
	// platform counts as running.
	Running func() []cd.Platform
	// QueueChunk is how many recipients of an announcement are queued in
	// one transaction. Default 1000 (a few milliseconds).
	QueueChunk int
}

// Bot is the conversation core.
type Bot struct {
	store    Store
	cfg      Config
	loc      *locTime
	admins   map[string]bool
	flood    *floodGuard
	log      *slog.Logger
	commands []*command
	links    linkGuard
	kick     chan struct{} // an announcement waits to be queued (RunQueue)
	// telegramBot is the bot's Telegram username, for check-in links.
	telegramBot atomic.Pointer[string]
}

// New returns a core that keeps its state in store.
func New(store Store, cfg Config) *Bot {
	if cfg.Location == nil {
		cfg.Location = time.FixedZone("ICT", 7*3600)
	}
	if cfg.FloodPerMinute <= 0 {
		cfg.FloodPerMinute = 20
	}
	if cfg.MaxInput <= 0 {
		cfg.MaxInput = 4000
	}
	if cfg.ReportWindowDays <= 0 {
		cfg.ReportWindowDays = 45
	}
	if cfg.ReportDeadlineDay <= 0 || cfg.ReportDeadlineDay > 28 {
		cfg.ReportDeadlineDay = 25
	}
	if cfg.UndoWindow <= 0 {
		cfg.UndoWindow = 15 * time.Minute
	}
	if cfg.SendRate <= 0 {
		cfg.SendRate = 25
	}
	if cfg.MoneyMin <= 0 {
		cfg.MoneyMin = cd.DefaultMoneyMin
	}
	if cfg.MoneyMax <= 0 || cfg.MoneyMax < cfg.MoneyMin {
		cfg.MoneyMax = max(cd.DefaultMoneyMax, cfg.MoneyMin)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Wake == nil {
		cfg.Wake = func(cd.Platform) {}
	}
	if cfg.ProvinceName == "" {
		cfg.ProvinceName = "Công đoàn Viên chức tỉnh"
	}
	if cfg.QueueChunk <= 0 {
		cfg.QueueChunk = 1000
	}
	b := &Bot{
		store:  store,
		cfg:    cfg,
		loc:    &locTime{cfg.Location},
		admins: map[string]bool{},
		flood:  newFloodGuard(cfg.FloodPerMinute, time.Minute),
		log:    cfg.Logger,
		kick:   make(chan struct{}, 1),
	}
	for _, a := range cfg.Admins {
		if p, id, ok := cd.ParseKey(a); ok {
			b.admins[cd.Key(p, id)] = true
		}
	}
	b.commands = b.commandTable()
	return b
}

// errDuplicate aborts a transaction whose update was applied before.
var errDuplicate = errors.New("update applied already")

// inboxTake takes the stored update id for this transaction, first in
// it: applied is true when it was applied already (by another instance:
// each instance's inbox processor reads every pending row), so that the
// core does not do its work again only to roll it back; an error wrapping
// cd.ErrInboxBusy says another instance is applying it now. Stores
// without InboxTake always say no.
func inboxTake(tx Tx, id int64) (applied bool, err error) {
	c, ok := tx.(interface{ InboxTake(id int64) (bool, error) })
	if id == 0 || !ok {
		return false, nil
	}
	return c.InboxTake(id)
}

// panicError carries a recovered panic out of a transaction.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// Result tells an adapter what became of an update.
type Result struct {
	// ChoiceAccepted: the update chose an option that the current step
	// offered (a button press that counted, not a stale one).
	ChoiceAccepted bool
	// Keyboard, when set, is the pressed message's choices as they now
	// stand (an option ticked ✅ or unticked): an adapter with buttons
	// shows them in place of the old ones instead of taking them off.
	Keyboard []cd.Choice
}

// Handle applies one update: in one transaction it reads the person's
// state, runs the command or flow step, saves the new state, queues the
// replies in the outbox and marks the inbox row applied. If anything
// fails, nothing of it is kept and the person gets a short explanation.
// Handle returns an error only when even that could not be stored.
func (b *Bot) Handle(ctx context.Context, u Update) error {
	_, err := b.HandleResult(ctx, u)
	return err
}

// HandleResult is Handle, also telling what became of the update.
func (b *Bot) HandleResult(ctx context.Context, u Update) (Result, error) {
	key := cd.Key(u.Platform, u.UserID)
	switch b.flood.hit(key, b.cfg.Now()) {
	case floodWarn:
		return Result{}, b.uncountBusy(key, b.respond(ctx, u, "flood", cd.Message{Text: txtFloodWarning}))
	case floodDrop:
		return Result{}, b.uncountBusy(key, b.respond(ctx, u, "flood", cd.Message{}))
	}
	var res Result
	var notices []cd.OutboxItem
	var wakeAll bool
	err := b.store.Update(ctx, func(tx Tx) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = &panicError{value: p, stack: debug.Stack()}
			}
		}()
		if applied, err := inboxTake(tx, u.InboxID); err != nil || applied {
			return cmp.Or(err, errDuplicate)
		}
		r, err := b.newRequest(ctx, tx, u)
		if err != nil {
			return err
		}
		if err := b.route(r); err != nil {
			return err
		}
		notices, res.ChoiceAccepted, res.Keyboard, wakeAll = r.notices, r.choiceAccepted, r.keyboard, r.wakeAll
		return r.commit()
	})
	switch {
	case err == nil:
		b.cfg.Wake(u.Platform)
		for _, n := range notices {
			if n.To.Platform != u.Platform {
				b.cfg.Wake(n.To.Platform)
			}
		}
		if wakeAll {
			b.wakeAll()
			b.kickQueue()
		}
		return res, nil
	case errors.Is(err, errDuplicate): // another instance applied it
		b.flood.unhit(key)
		return Result{}, nil
	case errors.Is(err, cd.ErrInboxBusy): // another instance has it: nothing done
		return Result{}, b.uncountBusy(key, err)
	case ctx.Err() != nil:
		return Result{}, ctx.Err()
	case errors.Is(err, cd.ErrDiskFull): // a full disk: the update waits in the inbox
		return Result{}, err
	}
	var pe *panicError
	var de *cd.Error
	switch {
	case errors.As(err, &pe):
		b.log.Error("handler panicked", "user", key, "panic", fmt.Sprint(pe.value), "stack", string(pe.stack))
		return Result{}, b.respond(ctx, u, "panic", cd.Message{Text: txtApology})
	case errors.As(err, &de) && de.Code != cd.EINTERNAL:
		return Result{}, b.respond(ctx, u, "", cd.Message{Text: reasonText(err)})
	default:
		b.log.Error("handling update failed", "user", key, "err", err)
		return Result{}, b.respond(ctx, u, err.Error(), cd.Message{Text: txtApology})
	}
}

// respond queues one reply (if it has text) and marks the update applied,
// in a transaction of its own: the path taken when the update's own
// transaction was rolled back or skipped.
func (b *Bot) respond(ctx context.Context, u Update, errText string, msg cd.Message) error {
	err := b.store.Update(ctx, func(tx Tx) error {
		if u.InboxID != 0 {
			if applied, err := inboxTake(tx, u.InboxID); err != nil || applied {
				return cmp.Or(err, errDuplicate)
			}
			ok, err := tx.InboxDone(u.InboxID, errText)
			if err != nil {
				return err
			}
			if !ok {
				return errDuplicate
			}
		}
		if msg.Text == "" {
			return nil
		}
		_, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: u.Platform, ChatID: u.ChatID}, Kind: cd.OutboxReply, Message: msg})
		return err
	})
	if errors.Is(err, errDuplicate) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reply to %s: %w", cd.Key(u.Platform, u.UserID), err)
	}
	if msg.Text != "" {
		b.cfg.Wake(u.Platform)
	}
	return nil
}

// request is the state of one update being handled, inside its transaction.
type request struct {
	ctx     context.Context
	b       *Bot
	tx      Tx
	u       Update
	text    string     // the message text, cleaned
	me      *cd.Member // nil for someone not registered
	flow    *flowState // nil when no flow is in progress
	replies []cd.Message
	notices []cd.OutboxItem // messages to other people, queued after the replies
	// choiceAccepted: the update's button press answered the current step.
	choiceAccepted bool
	loaded         string    // the flow state as stored when the update came
	loadedKey      string    // the flow as loaded, without its time
	loadedAt       time.Time // and its time
	wakeAll        bool      // messages were queued for many people: wake every sender

	// keyboard: the pressed message's choices as they now stand (Result.Keyboard).
	keyboard []cd.Choice
}

func (b *Bot) newRequest(ctx context.Context, tx Tx, u Update) (*request, error) {
	r := &request{ctx: ctx, b: b, tx: tx, u: u, text: strings.TrimSpace(u.Text)}
	me, err := tx.MemberByIdentity(u.Platform, u.UserID)
	if err != nil {
		return nil, err
	}
	if me != nil {
		if err := tx.TouchIdentity(u.Platform, u.UserID, u.ChatID, u.DisplayName); err != nil {
			return nil, err
		}
	}
	r.me = me
	if err := r.recogniseAdmin(); err != nil {
		return nil, err
	}
	state, err := tx.Flow(u.Platform, u.UserID)
	if err != nil {
		return nil, err
	}
	r.loaded = state
	if r.flow, err = decodeFlow(state); err != nil {
		b.log.Warn("dropping unreadable flow state", "user", cd.Key(u.Platform, u.UserID), "err", err)
	}
	if r.flow != nil && tx.Now().Sub(r.flow.At) > flowTTL {
		r.flow = nil
	}
	r.loadedKey = r.flow.key()
	if r.flow != nil {
		r.loadedAt = r.flow.At
	}
	return r, nil
}

// recogniseAdmin makes a configured province admin one on their first
// message: a new member at the province unit, or a promotion.
func (r *request) recogniseAdmin() error {
	key := cd.Key(r.u.Platform, r.u.UserID)
	if !r.b.admins[key] || r.me.IsProvinceAdmin() {
		return nil
	}
	prov, err := r.tx.ProvinceUnit()
	if err != nil {
		return err
	}
	if r.me == nil {
		name := cd.CleanText(r.u.DisplayName)
		if _, err := cd.ValidateFullName(name); err != nil {
			name = "Cán bộ " + r.b.cfg.ProvinceName
		}
		m := &cd.Member{FullName: name, UnitID: prov.ID, Role: cd.RoleProvinceAdmin, Status: cd.StatusActive,
			ConsentAt: r.tx.Now(), DecidedAt: r.tx.Now()}
		err = r.tx.CreateMember(m, cd.Identity{Platform: r.u.Platform, UserID: r.u.UserID, ChatID: r.u.ChatID, DisplayName: r.u.DisplayName})
		if err != nil {
			return err
		}
		r.me, err = r.tx.MemberByID(m.ID)
	} else {
		if r.me.Status != cd.StatusActive {
			if err := r.tx.SetMemberStatus(r.me.ID, r.me.Status, cd.StatusActive, 0, "admin from config"); err != nil {
				return err
			}
		}
		if err := r.tx.SetMemberRole(r.me.ID, cd.RoleProvinceAdmin, prov.ID); err != nil {
			return err
		}
		r.me, err = r.tx.MemberByID(r.me.ID)
	}
	if err != nil {
		return err
	}
	r.reply(txtAdminRecognised(r.b.cfg.ProvinceName))
	return r.audit(cd.AuditAdminBootstrap, r.me.ID, prov.ID, "listed in config admins")
}

// route decides what the update is: a command, a step of the flow in
// progress, a stale button, or something the bot does not understand.
func (b *Bot) route(r *request) error {
	if n := utf8.RuneCountInString(r.u.Text); n > b.cfg.MaxInput {
		r.reply(txtTooLong(b.cfg.MaxInput))
		return nil
	}
	if cd.HasControl(r.text) {
		r.reply(txtControl)
		return nil
	}
	// A command starts unless the text answers the current step's choices
	// ("Duyệt" is both a button label and a command word): a typed slash
	// command always wins.
	if r.u.Choice == "" && (r.flow == nil || strings.HasPrefix(r.text, "/") || !r.flow.offers(r.text)) {
		if cmd, args, ok := b.match(r.text, r.flow != nil); ok {
			return b.run(r, cmd, args)
		}
	}
	if r.u.Unsupported {
		r.reply(txtUnsupported)
		return nil
	}
	if r.flow != nil {
		return b.step(r)
	}
	switch {
	case r.u.Choice != "":
		r.reply(txtExpired)
	case r.text == "" && r.u.Phone == "" && r.u.Photo == "":
		r.reply(txtEmpty)
	case r.me == nil:
		r.reply(txtUnknownGuest)
	default:
		r.reply(txtUnknown)
	}
	return nil
}

// commit saves the flow, queues the replies and marks the update applied.
func (r *request) commit() error {
	state := ""
	if r.flow != nil {
		if r.flow.key() != r.loadedKey {
			r.flow.At = r.tx.Now() // it moved
		} else {
			r.flow.At = r.loadedAt
		}
		var err error
		if state, err = r.flow.encode(); err != nil {
			return err
		}
	}
	if state != r.loaded {
		if err := r.tx.SaveFlow(r.u.Platform, r.u.UserID, state); err != nil {
			return err
		}
	}
	var memberID int64
	if r.me != nil {
		memberID = r.me.ID
	}
	for _, msg := range r.replies {
		item := &cd.OutboxItem{To: cd.Address{Platform: r.u.Platform, ChatID: r.u.ChatID}, MemberID: memberID,
			Kind: cd.OutboxReply, Message: msg}
		if _, err := r.tx.Enqueue(item); err != nil {
			return err
		}
	}
	for i := range r.notices {
		if _, err := r.tx.Enqueue(&r.notices[i]); err != nil {
			return err
		}
	}
	if r.u.InboxID != 0 {
		ok, err := r.tx.InboxDone(r.u.InboxID, "")
		if err != nil {
			return err
		}
		if !ok {
			return errDuplicate
		}
	}
	return nil
}

// reply adds a plain text reply.
func (r *request) reply(text string) { r.replies = append(r.replies, cd.Message{Text: text}) }

// actor is the member acting, or 0.
func (r *request) actor() int64 {
	if r.me == nil {
		return 0
	}
	return r.me.ID
}

// audit records an action of the person behind this update.
func (r *request) audit(action string, targetMember, targetUnit int64, detail string) error {
	return r.tx.Audit(cd.AuditEntry{ActorID: r.actor(), ActorKey: cd.Key(r.u.Platform, r.u.UserID), Action: action,
		TargetMember: targetMember, TargetUnit: targetUnit, Detail: detail})
}

// notify queues a message to a member, on their most recently used chat
// account, after the replies to the person writing. A member with no chat
// account (data erased) is skipped.
func (r *request) notify(memberID int64, msg cd.Message) error {
	addr, ok, err := r.tx.AddressOf(memberID)
	if err != nil || !ok {
		return err
	}
	r.notices = append(r.notices, cd.OutboxItem{To: addr, MemberID: memberID, Kind: cd.OutboxNotify, Lane: cd.LaneInteractive, Message: msg})
	return nil
}

// today is the current date in the union's zone.
func (r *request) today() cd.Date { return cd.DateOf(r.tx.Now(), r.b.cfg.Location) }

// locTime formats times in the union's zone.
type locTime struct{ loc *time.Location }

func (l *locTime) date(t time.Time) string     { return cd.FormatDate(t.In(l.loc)) }
func (l *locTime) datetime(t time.Time) string { return cd.FormatDateTime(t.In(l.loc)) }
