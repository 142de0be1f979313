-- `/career admin people` (issue 16, item 12): counts by team and status, and the shared check-ins still waiting for
-- the manager's ratings, each read through an index so the answer costs what it shows.
--
-- Counted in the index, without reading a record: a workspace's records by framework and status.
CREATE INDEX teammates_by_framework ON teammates (team_id, framework_id, status);

-- When the manager the check-in was shared with first added ratings. NULL while a shared check-in waits for them:
-- the partial index below then holds exactly the waiting ones, newest share last, so the admin's list and its count
-- never walk past check-ins already rated (most of them, in a database a year old).
ALTER TABLE checkins ADD COLUMN manager_rated_at TEXT;

UPDATE checkins SET manager_rated_at = (
  SELECT MIN(a.answered_at) FROM checkin_answers a WHERE a.checkin_id = checkins.id AND a.rater = 'manager'
) WHERE shared_with IS NOT NULL;

CREATE INDEX checkins_awaiting_ratings ON checkins (team_id, shared_at, id)
  WHERE shared_with IS NOT NULL AND manager_rated_at IS NULL;
