-- Changes waiting for a confirmation. `/career set` that lowers a level, restarts "since" on the same
-- level, moves someone to another team or changes their manager is shown as a preview first; the
-- change itself waits here, and the preview's Confirm button carries only the row's id. A row is
-- taken (deleted) by the person who asked, once: Confirm and Cancel both consume it, and a click by
-- anyone else finds nothing to take. Rows are deleted after a day by the maintenance job.
CREATE TABLE pending_changes (
  id TEXT NOT NULL PRIMARY KEY,
  team_id TEXT NOT NULL,
  -- The Slack user id who asked for the change: the only one who may confirm it.
  requested_by TEXT NOT NULL,
  -- Whose record the change is for.
  user_id TEXT NOT NULL,
  -- The resolved change as JSON (validated with zod when read back).
  change TEXT NOT NULL CHECK (json_valid(change)),
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX pending_changes_by_time ON pending_changes (created_at);
