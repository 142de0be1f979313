-- Notifications that failed (a DM after a level was recorded, a Home-tab refresh) wait here to be
-- retried by the background job, instead of being lost to a short Slack outage. A DM keeps its
-- messages as JSON; a Home refresh keeps none (the tab is rebuilt from the database when retried).
CREATE TABLE notification_outbox (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dm', 'home')),
  -- JSON array of { text, blocks } for 'dm'; NULL for 'home'.
  messages TEXT,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'dm') = (messages IS NOT NULL))
) STRICT;

-- The job asks "what is due now?": served without a scan of the whole table.
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at);

-- One pending Home refresh per person is enough: a later one would publish the same tab.
CREATE UNIQUE INDEX notification_outbox_one_home ON notification_outbox (team_id, user_id) WHERE kind = 'home';
