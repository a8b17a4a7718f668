package bot

import (
	"context"

	cd "github.com/congdoanbot/congdoanbot"
)

// Queueing an announcement's recipients. Confirming /thongbao, or the
// scheduled time coming, counts the recipients and queues the first chunk
// of them in that same transaction (so a small audience is queued at
// once); the rest is queued a chunk per transaction, each holding the
// single SQLite writer a few milliseconds, so that the bot keeps applying
// updates and sending replies meanwhile. The cursor (the last member
// queued) is saved with each chunk and the outbox keeps one message per
// announcement and member: a crash at any point neither repeats nor skips
// a recipient, and the next run resumes where the last chunk ended.

// queueChunk queues the next chunk of a's recipients in tx and saves the
// cursor; the last chunk marks the announcement sending.
func (b *Bot) queueChunk(tx Tx, a *cd.Announcement) error {
	msg := cd.Message{Text: txtAnnHeader(b.cfg.ProvinceName) + a.Text, Photo: a.Photo}
	inserted, upto, done, err := tx.EnqueueAnnouncementChunk(a, msg, b.cfg.QueueChunk, b.running())
	if err != nil {
		return err
	}
	a.Recipients += inserted
	a.QueuedUpto = upto
	if done {
		a.Status, a.QueuedAt = cd.AnnouncementSending, tx.Now()
	}
	return tx.UpdateAnnouncement(a)
}

// QueueAnnouncements queues the remaining recipients of every
// announcement being queued, one chunk per transaction, waking the
// senders after each, until none is left. It returns the messages queued.
func (b *Bot) QueueAnnouncements(ctx context.Context) (int, error) {
	total := 0
	for {
		queued, more := 0, false
		err := b.store.Update(ctx, func(tx Tx) error {
			as, err := tx.AnnouncementsByStatus(cd.AnnouncementQueueing, tx.Now())
			if err != nil || len(as) == 0 {
				return err
			}
			a := &as[0]
			before := a.Recipients
			if err := b.queueChunk(tx, a); err != nil {
				return err
			}
			queued, more = a.Recipients-before, true
			return nil
		})
		if err != nil || !more {
			return total, err
		}
		total += queued
		if queued > 0 {
			b.wakeAll()
		}
	}
}

// RunQueue queues announcements' recipients as soon as one is confirmed,
// and once at start (what a stopped process left half-queued), until ctx
// ends. The announcements job does the same every minute.
func (b *Bot) RunQueue(ctx context.Context) error {
	for {
		if _, err := b.QueueAnnouncements(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("queueing announcements", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-b.kick:
		}
	}
}

// kickQueue tells RunQueue that an announcement waits to be queued.
func (b *Bot) kickQueue() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

func (b *Bot) wakeAll() {
	for _, p := range []cd.Platform{cd.PlatformTelegram, cd.PlatformZalo, cd.PlatformZaloOA, cd.PlatformConsole} {
		b.cfg.Wake(p)
	}
}

// running lists the platforms with a sender now; nil when every platform
// counts as running.
func (b *Bot) running() []cd.Platform {
	if b.cfg.Running == nil {
		return nil
	}
	if ps := b.cfg.Running(); ps != nil {
		return ps
	}
	return []cd.Platform{}
}
