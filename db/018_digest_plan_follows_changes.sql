-- The manager digests' plan (db/011) follows the teammates change sequence (db/016) in the growth tick
-- (src/growth/tick.ts), the same code on SQLite and PostgreSQL, instead of triggers (PostgreSQL has
-- none): each tick reads the records changed since its cursor, in slices through teammates_by_change,
-- adds the plan row of each record's manager and re-plans a manager whose own zone or nudges changed.
-- teammates_forget_digest_zone stays until the forget unit of work resets the zone itself.
DROP TRIGGER teammates_digest_plan_insert;
DROP TRIGGER teammates_digest_plan_manager;
DROP TRIGGER teammates_digest_plan_tz;
DROP TRIGGER teammates_digest_plan_nudges;

-- The manager's own record's `nudges` as the plan last followed it (NULL: not seen yet): a changed
-- record re-plans its manager only when this differs. Until now the trigger kept the plan in step.
ALTER TABLE digest_plan ADD COLUMN nudges TEXT CHECK (nudges IN ('dm', 'off'));
UPDATE digest_plan SET nudges = (
  SELECT t.nudges FROM teammates t WHERE t.team_id = digest_plan.team_id AND t.user_id = digest_plan.manager_id
);

-- How far the growth tick has followed the change sequence: the last (change_seq, team_id, user_id)
-- of teammates_by_change it applied. No row: the next tick starts from the first record, which also
-- plans every manager of record (a new database, or one whose plan nobody kept).
CREATE TABLE digest_plan_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  change_seq INTEGER NOT NULL,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL
) STRICT;

-- The triggers kept the plan in step with every record up to now: the tick starts after the last one.
INSERT INTO digest_plan_cursor (id, change_seq, team_id, user_id)
SELECT 1, change_seq, team_id, user_id FROM teammates ORDER BY change_seq DESC, team_id DESC, user_id DESC LIMIT 1;
