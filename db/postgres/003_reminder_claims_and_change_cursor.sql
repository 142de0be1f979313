-- Reminders claimed by unique keys only, and a planner that follows teammates.change_seq (as
-- db/017_reminder_claims_and_change_cursor.sql for SQLite).
--
-- At most one reminder a person a local day, as a unique index: a claim is one INSERT … ON CONFLICT DO
-- NOTHING, and its row count says whether this instance won. The manager's note that goes with a
-- report's past-window reminder does not count against the day: per_day = 0, outside the index.
ALTER TABLE reminder_ledger ADD COLUMN per_day INTEGER NOT NULL DEFAULT 1 CHECK (per_day IN (0, 1));
UPDATE reminder_ledger SET per_day = 0 WHERE kind = 'past-manager';
UPDATE reminder_ledger SET per_day = 0
WHERE per_day = 1 AND EXISTS (
  SELECT 1 FROM reminder_ledger o
  WHERE o.team_id = reminder_ledger.team_id AND o.user_id = reminder_ledger.user_id
    AND o.local_date = reminder_ledger.local_date AND o.per_day = 1
    AND (o.kind, o.window_key) < (reminder_ledger.kind, reminder_ledger.window_key)
);
CREATE UNIQUE INDEX reminder_ledger_one_a_day ON reminder_ledger (team_id, user_id, local_date) WHERE per_day = 1;

-- The planner's one cursor is over (change_seq, team_id, user_id) (teammates_by_change): the indexes of
-- its old timestamp cursors go, and their saved positions with them (the next tick plans everyone once).
DROP INDEX teammates_by_update;
DROP INDEX teammates_by_tz_fetch;
DELETE FROM reminder_state WHERE name IN ('cursor.updated', 'cursor.tz');
