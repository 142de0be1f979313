-- Ripple's first schema. Migrations are forward-only: never edit a file once it has shipped, add the
-- next numbered file instead. src/db/migrate.ts applies pending files in one transaction and then sets
-- PRAGMA user_version to the number of the last file.
--
-- Conventions:
--   * Every table is STRICT, so a wrong type is an error rather than a silently coerced value.
--   * Calendar dates are TEXT 'YYYY-MM-DD'. `date(x) IS x` rejects both malformed text (date() gives
--     NULL) and impossible days such as 2026-02-30 (date() normalizes it to 2026-03-02). `IS`, not `=`,
--     because a CHECK whose result is NULL passes.
--   * Timestamps are TEXT ISO 8601 in UTC ('2026-01-15T09:30:00.000Z'), written by the stores.

-- One row per Slack workspace Ripple has seen. `active = 0` after app_uninstalled / tokens_revoked:
-- nothing outgoing (DMs, reminders) may be sent to an inactive workspace.
CREATE TABLE workspaces (
  team_id TEXT NOT NULL PRIMARY KEY,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- Last time the workspace became active (install, reinstall, or first record written).
  installed_at TEXT,
  -- Last time the workspace became inactive.
  uninstalled_at TEXT
) STRICT;

-- The teammate record: where one person stands in one framework.
CREATE TABLE teammates (
  team_id TEXT NOT NULL REFERENCES workspaces (team_id),
  user_id TEXT NOT NULL,
  framework_id TEXT NOT NULL,
  -- The level's stable `id` from the framework file (not its number: forked frameworks have several
  -- steps after one level, and numbers may be renumbered when a level is added).
  level_id TEXT NOT NULL,
  -- The day the person reached this level.
  since TEXT NOT NULL CHECK (date(since) IS since),
  -- The manager of record (a Slack user id); NULL when nobody is recorded.
  manager_id TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'left')),
  -- The day the person expects to be back; only meaningful while paused, NULL for an open-ended pause.
  paused_until TEXT,
  -- IANA time zone from users.info, cached; tz_fetched_at says when, so it can be refreshed.
  tz TEXT,
  tz_fetched_at TEXT,
  nudges TEXT NOT NULL DEFAULT 'dm' CHECK (nudges IN ('dm', 'off')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id),
  -- Nobody is their own manager of record: that would let them set their own level.
  CHECK (manager_id IS NOT user_id),
  CHECK (paused_until IS NULL OR (status = 'paused' AND date(paused_until) IS paused_until))
) STRICT;

-- "Who are my reports?" is asked on every manager command.
CREATE INDEX teammates_by_manager ON teammates (team_id, manager_id);

-- Every change to a teammate's framework, level, since, manager or status, oldest first by id.
-- Append-only: the trigger below refuses UPDATE. DELETE stays possible for one reason only:
-- "/career forget me" (and an admin forgetting someone who left) must erase all of a person's data,
-- history included. The stores delete history rows nowhere else.
CREATE TABLE teammate_history (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('framework', 'level', 'manager', 'status', 'since')),
  from_value TEXT,
  to_value TEXT,
  -- The Slack user id who made the change (or a system actor such as 'slack:user_change').
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  note TEXT,
  -- A history row records a change, so from and to always differ.
  CHECK (from_value IS NOT to_value),
  -- No ON DELETE CASCADE: history is never lost as a side effect; forget deletes it explicitly.
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

CREATE INDEX teammate_history_by_person ON teammate_history (team_id, user_id, id);

CREATE TRIGGER teammate_history_append_only
BEFORE UPDATE ON teammate_history
BEGIN
  SELECT RAISE(ABORT, 'teammate_history is append-only: history rows are never rewritten');
END;

-- Leave. Time between start_date (the first day away) and end_date (the first day back) does not
-- count toward the window to the next step. end_date is NULL while the pause is still running.
CREATE TABLE pauses (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
  end_date TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= start_date)),
  created_at TEXT NOT NULL,
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

CREATE INDEX pauses_by_person ON pauses (team_id, user_id, start_date);

-- At most one running pause per person.
CREATE UNIQUE INDEX pauses_one_open ON pauses (team_id, user_id) WHERE end_date IS NULL;

-- Slack retries events it thinks were not delivered (X-Slack-Retry-Num) and Bolt does not
-- de-duplicate: an event_id seen here has already been handled.
CREATE TABLE processed_events (
  event_id TEXT NOT NULL PRIMARY KEY,
  received_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX processed_events_by_time ON processed_events (received_at);
