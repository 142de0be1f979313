-- As db/022_admin_people.sql: counts by team and status kept by the teammate store, and the shared check-ins waiting
-- for the manager's ratings in a partial index of their own.
CREATE TABLE teammate_counts (
  team_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (team_id),
  framework_id TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('active', 'paused', 'left')),
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (team_id, framework_id, status)
);

INSERT INTO teammate_counts (team_id, framework_id, status, n)
SELECT team_id, framework_id, status, count(*) FROM teammates GROUP BY team_id, framework_id, status;

ALTER TABLE checkins ADD COLUMN manager_rated_at TEXT COLLATE "C";

UPDATE checkins SET manager_rated_at = (
  SELECT MIN(a.answered_at) FROM checkin_answers a WHERE a.checkin_id = checkins.id AND a.rater = 'manager'
) WHERE shared_with IS NOT NULL;

CREATE INDEX checkins_awaiting_ratings ON checkins (team_id, shared_at, id)
  WHERE shared_with IS NOT NULL AND manager_rated_at IS NULL;
