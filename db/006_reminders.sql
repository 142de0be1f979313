-- Growth reminders (src/reminders/). Two tables: the plan says when the engine should next look at a
-- teammate, so each tick reads only what is due through an index instead of every record; the ledger
-- records each reminder claimed or sent, one row per (workspace, person, kind, window), so a reminder
-- goes out at most once across restarts, a crash mid-batch, overlapping ticks or two instances.

-- One row per teammate the engine has planned. Rebuilt from the record whenever it changes.
CREATE TABLE reminder_plan (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- When to look again (UTC ISO instant, inside the person's delivery hours); NULL when nothing can
  -- be due until the record changes (no timeframe, left, opted out, unreachable in Slack).
  due_at TEXT,
  -- What the engine expects to send then, for previews: the ledger kind and the window it belongs to.
  kind TEXT,
  window_key TEXT,
  -- Sends that failed in a row (not counting rate limits); spaces out the retries.
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- The Slack error that made the person unreachable (account_inactive, user_not_found), if any.
  unreachable TEXT,
  planned_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;

-- "What is due now?": only rows with a due time, in due order.
CREATE INDEX reminder_plan_due ON reminder_plan (due_at) WHERE due_at IS NOT NULL;

-- The window a reminder belongs to is '<framework>/<level>/<since>': a new level or since starts a
-- new window (and its reminders), while a pause, which only moves the dates, does not.
CREATE TABLE reminder_ledger (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  window_key TEXT NOT NULL,
  -- 'claimed' before the send; 'sent' once Slack took it; 'undeliverable' when Slack refused the
  -- person for good. A claim left 'claimed' by a crash is never sent again: at most once.
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'undeliverable')),
  -- The person's local day of the send: at most one reminder a day.
  local_date TEXT NOT NULL CHECK (date(local_date) IS local_date),
  claimed_at TEXT NOT NULL,
  sent_at TEXT,
  error TEXT,
  PRIMARY KEY (team_id, user_id, kind, window_key)
) STRICT, WITHOUT ROWID;

CREATE INDEX reminder_ledger_by_day ON reminder_ledger (team_id, user_id, local_date);

-- Small named values the engine keeps between ticks (the planner's cursor, the frameworks' digest).
CREATE TABLE reminder_state (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The planner re-plans records changed since its cursor: a record change moves updated_at, a time
-- zone change moves tz_fetched_at.
CREATE INDEX teammates_by_update ON teammates (updated_at, team_id, user_id);
CREATE INDEX teammates_by_tz_fetch ON teammates (tz_fetched_at, team_id, user_id) WHERE tz_fetched_at IS NOT NULL;

-- "/career forget" deletes the teammate row last: the person's reminders go with it, so forgetting
-- stays complete without the teammate store knowing about reminders.
CREATE TRIGGER teammates_forget_reminders
AFTER DELETE ON teammates
BEGIN
  DELETE FROM reminder_ledger WHERE team_id = OLD.team_id AND user_id = OLD.user_id;
  DELETE FROM reminder_plan WHERE team_id = OLD.team_id AND user_id = OLD.user_id;
END;
