-- Channel growth nudges, manager digests and per-person growth preferences (src/growth/).

-- The workspace's growth channel: one weekly post there, on `weekday` (1 = Monday … 7 = Sunday) at
-- `local_time` in `tz`, the time zone of the admin who set it (UTC when Slack did not say).
CREATE TABLE growth_channels (
  team_id TEXT NOT NULL PRIMARY KEY,
  channel_id TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  local_time TEXT NOT NULL CHECK (local_time GLOB '[0-2][0-9]:[0-5][0-9]' AND local_time < '24:00'),
  tz TEXT,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL
) STRICT;

-- What a person chose beyond `teammates.nudges`: reminders about an optional next step, and whether
-- a level-up may be celebrated by name in the growth channel (off unless they opt in).
CREATE TABLE growth_preferences (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  optional_nudges TEXT NOT NULL DEFAULT 'on' CHECK (optional_nudges IN ('on', 'off')),
  celebrate INTEGER NOT NULL DEFAULT 0 CHECK (celebrate IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;

-- Weekly sends, claimed before they go out (as the reminder ledger does): at most one channel post
-- per workspace and one digest per manager per ISO week ('2026-W25', in the local zone).
CREATE TABLE growth_weekly (
  team_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('channel', 'digest')),
  -- The channel id for a channel post, the manager's user id for a digest.
  subject TEXT NOT NULL,
  week TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'undeliverable')),
  claimed_at TEXT NOT NULL,
  sent_at TEXT,
  error TEXT,
  PRIMARY KEY (team_id, kind, subject, week)
) STRICT, WITHOUT ROWID;

-- Forgetting a person takes their growth preferences and the digests sent to them along.
CREATE TRIGGER teammates_forget_growth
AFTER DELETE ON teammates
BEGIN
  DELETE FROM growth_preferences WHERE team_id = OLD.team_id AND user_id = OLD.user_id;
  DELETE FROM growth_weekly WHERE team_id = OLD.team_id AND kind = 'digest' AND subject = OLD.user_id;
END;
