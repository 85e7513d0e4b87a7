-- Discussions (issue 3 §5): the daily digest remembers, per subscription, up to
-- when it has sent (a missed run does not drop a day; a rerun does not repeat);
-- topics and replies record when they were last edited.
ALTER TABLE discussion_subscriptions ADD COLUMN last_digest_at timestamptz;
ALTER TABLE discussion_topics ADD COLUMN edited_at timestamptz;
ALTER TABLE discussion_replies ADD COLUMN edited_at timestamptz;
CREATE INDEX discussion_subscriptions_daily_idx ON discussion_subscriptions (person_id) WHERE mode = 'daily';
