-- The manager digests' plan (src/growth/tick.ts), like the reminder plan (db/006): one row per manager
-- of record saying when the weekly tick should next look at them, so a tick reads only the managers
-- whose digest may be due, through an index, instead of every manager of the company every 15 minutes.
-- It also keeps the manager's time zone once Slack told it (users.info at most once, then user_change),
-- which is the only place it is kept for a manager without a record of their own.
CREATE TABLE digest_plan (
  team_id TEXT NOT NULL,
  manager_id TEXT NOT NULL,
  -- When to look again (UTC ISO instant). '' means "not planned yet" (a new manager, a changed time
  -- zone or nudge preference): due at once, and first in the index.
  due_at TEXT NOT NULL DEFAULT '',
  -- The zone Slack gave (NULL: Slack names none, read as UTC); only meaningful once tz_fetched_at is
  -- set. Until then the manager's record's zone is used, or Slack is asked once.
  tz TEXT,
  tz_fetched_at TEXT,
  PRIMARY KEY (team_id, manager_id)
) STRICT, WITHOUT ROWID;

-- "Which digests may be due now?": a range of this index, earliest first.
CREATE INDEX digest_plan_due ON digest_plan (due_at);

-- Every manager of record today, unplanned: the first tick plans them.
INSERT INTO digest_plan (team_id, manager_id)
SELECT DISTINCT team_id, manager_id FROM teammates WHERE manager_id IS NOT NULL AND status != 'left';

-- Someone becomes a manager of record (a new record, a changed manager, a report back from "left"):
-- their row is added if missing. A manager whose last report leaves keeps the row until the tick sees
-- they manage nobody and drops it.
CREATE TRIGGER teammates_digest_plan_insert
AFTER INSERT ON teammates
WHEN NEW.manager_id IS NOT NULL AND NEW.status != 'left'
BEGIN
  INSERT INTO digest_plan (team_id, manager_id) VALUES (NEW.team_id, NEW.manager_id) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER teammates_digest_plan_manager
AFTER UPDATE OF manager_id, status ON teammates
WHEN NEW.manager_id IS NOT NULL AND NEW.status != 'left'
BEGIN
  INSERT INTO digest_plan (team_id, manager_id) VALUES (NEW.team_id, NEW.manager_id) ON CONFLICT DO NOTHING;
END;

-- A manager's own record changed zone (user_change, a lookup, an import): the plan takes the zone and
-- is planned again. `/career nudges` on or off: planned again too.
CREATE TRIGGER teammates_digest_plan_tz
AFTER UPDATE OF tz ON teammates
WHEN NEW.tz IS NOT OLD.tz
BEGIN
  UPDATE digest_plan SET tz = NEW.tz, tz_fetched_at = NEW.tz_fetched_at, due_at = ''
  WHERE team_id = NEW.team_id AND manager_id = NEW.user_id;
END;

CREATE TRIGGER teammates_digest_plan_nudges
AFTER UPDATE OF nudges ON teammates
WHEN NEW.nudges IS NOT OLD.nudges
BEGIN
  UPDATE digest_plan SET due_at = '' WHERE team_id = NEW.team_id AND manager_id = NEW.user_id;
END;

-- Forgetting a person forgets the zone kept for them; if people still report to them, the row stays
-- (they are still a manager of record) and the zone is asked again when a digest is due.
CREATE TRIGGER teammates_forget_digest_zone
AFTER DELETE ON teammates
BEGIN
  UPDATE digest_plan SET tz = NULL, tz_fetched_at = NULL, due_at = ''
  WHERE team_id = OLD.team_id AND manager_id = OLD.user_id;
END;
