-- Events are answered before anything is sent to Slack (Slack wants its 200 within 3 s): what an
-- event must send is written here first, in the event's transaction, sent right after the answer
-- and removed once Slack took it. A reply in a conversation Slack named (the DM a message came
-- from) is a 'post': its channel and messages. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt (SQLite's documented procedure), keeping its rows and ids.
-- AUTOINCREMENT: an id is never given to a second notification, so a sender holding the id of one
-- it is still sending can never remove another.
CREATE TABLE notification_outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dm', 'home', 'post')),
  -- The conversation of a 'post'; NULL otherwise ('dm' opens the DM with user_id).
  channel_id TEXT,
  -- JSON array of { text, blocks } for 'dm' and 'post'; NULL for 'home'.
  messages TEXT,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'home') = (messages IS NULL)),
  CHECK ((kind = 'post') = (channel_id IS NOT NULL))
) STRICT;

INSERT INTO notification_outbox_new (id, team_id, user_id, kind, messages, attempts, next_attempt_at, last_error, created_at)
SELECT id, team_id, user_id, kind, messages, attempts, next_attempt_at, last_error, created_at FROM notification_outbox;

DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_new RENAME TO notification_outbox;

CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at);
CREATE UNIQUE INDEX notification_outbox_one_home ON notification_outbox (team_id, user_id) WHERE kind = 'home';
