-- Reminders claimed by unique keys only, and a planner that follows teammates.change_seq (db/016).
--
-- 1. At most one reminder a person a local day, as a unique index rather than "count, then insert":
--    a claim is one INSERT … ON CONFLICT DO NOTHING, and the row it inserted (or not) says whether this
--    instance won, whatever the engine and however many instances race. A claim that does not count
--    against the day (the manager's note that goes with a report's past-window reminder) is per_day = 0
--    and outside the index.
ALTER TABLE reminder_ledger ADD COLUMN per_day INTEGER NOT NULL DEFAULT 1 CHECK (per_day IN (0, 1));
UPDATE reminder_ledger SET per_day = 0 WHERE kind = 'past-manager';
-- Two reminders on one day could only come from outside the old check (an import, a hand edit): all
-- but the first in key order stop counting, so the index can be built; nothing is deleted.
UPDATE reminder_ledger SET per_day = 0
WHERE per_day = 1 AND EXISTS (
  SELECT 1 FROM reminder_ledger o
  WHERE o.team_id = reminder_ledger.team_id AND o.user_id = reminder_ledger.user_id
    AND o.local_date = reminder_ledger.local_date AND o.per_day = 1
    AND (o.kind, o.window_key) < (reminder_ledger.kind, reminder_ledger.window_key)
);
CREATE UNIQUE INDEX reminder_ledger_one_a_day ON reminder_ledger (team_id, user_id, local_date) WHERE per_day = 1;

-- 2. The planner's one cursor is over (change_seq, team_id, user_id) (teammates_by_change). Its two
--    cursors over timestamps go, with the indexes only they read; their saved positions mean nothing
--    now, so the first tick after this migration plans everyone once (as on a new database).
DROP INDEX teammates_by_update;
DROP INDEX teammates_by_tz_fetch;
DELETE FROM reminder_state WHERE name IN ('cursor.updated', 'cursor.tz');
