-- `/career admin people` (issue 16, item 12): counts by team and status, and the shared check-ins still waiting for
-- the manager's ratings, each read in a few rows so the answer costs what it shows.
--
-- How many records each workspace has by framework and status, kept by the teammate store in the unit of work that
-- creates a record, changes its framework or status, or forgets it (src/store/teammates.ts, `recount`): reading the
-- counts costs a few rows whatever the size of the workspace. Rows are never deleted; a count may fall to 0.
CREATE TABLE teammate_counts (
  team_id TEXT NOT NULL REFERENCES workspaces (team_id),
  framework_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'left')),
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (team_id, framework_id, status)
) STRICT, WITHOUT ROWID;

INSERT INTO teammate_counts (team_id, framework_id, status, n)
SELECT team_id, framework_id, status, count(*) FROM teammates GROUP BY team_id, framework_id, status;

-- When the manager the check-in was shared with first added ratings. NULL while a shared check-in waits for them:
-- the partial index below then holds exactly the waiting ones, newest share last, so the admin's list and its count
-- never walk past check-ins already rated (most of them, in a database a year old).
ALTER TABLE checkins ADD COLUMN manager_rated_at TEXT;

UPDATE checkins SET manager_rated_at = (
  SELECT MIN(a.answered_at) FROM checkin_answers a WHERE a.checkin_id = checkins.id AND a.rater = 'manager'
) WHERE shared_with IS NOT NULL;

CREATE INDEX checkins_awaiting_ratings ON checkins (team_id, shared_at, id)
  WHERE shared_with IS NOT NULL AND manager_rated_at IS NULL;
