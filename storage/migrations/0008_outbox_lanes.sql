-- 0008: two lanes in the outbox, and announcements queued in chunks.
--
-- Each outbox row has a lane: 'interactive' (replies, and the notices a
-- person's action causes) or 'bulk' (announcements, reminders, summaries,
-- reports). The sender reads each lane through outbox_lane, oldest due
-- first, without sorting or scanning the pending rows; outbox_chat_pending
-- finds a chat's earlier pending message, which must go first.
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'bulk' CHECK (lane IN ('interactive', 'bulk'));
UPDATE outbox SET lane = 'interactive' WHERE kind = 'reply' AND status = 'pending';
CREATE INDEX outbox_lane ON outbox(platform, status, lane, not_before, id);
CREATE INDEX outbox_chat_pending ON outbox(platform, chat_id, id) WHERE status = 'pending';

-- An announcement's recipients are queued in chunks, each its own short
-- transaction, in member id order: queued_upto_member_id is the last member
-- queued. While chunks remain the announcement is 'sending' with queued_at
-- NULL (the domain's "queueing"; the status CHECK of 0006 stays as it is);
-- queued_at is set with the last chunk.
ALTER TABLE announcements ADD COLUMN queued_upto_member_id INTEGER NOT NULL DEFAULT 0;

-- An announcement's progress (messages by status) and whether any is still
-- pending, read from the index alone, every minute while 100,000 go out.
CREATE INDEX outbox_announcement_status ON outbox(announcement_id, status, member_id) WHERE announcement_id IS NOT NULL;
