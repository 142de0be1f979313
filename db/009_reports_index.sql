-- "Who reports to this manager?" (`/career team`, help, Home, the weekly digests) asks
-- `WHERE team_id = ? AND manager_id = ? ORDER BY user_id`. With teammates_by_manager on
-- (team_id, manager_id) alone, SQLite's planner (Ripple never runs ANALYZE) preferred walking the
-- primary key over the whole workspace to avoid sorting: about 5 to 20 ms at 100,000 teammates,
-- for every manager and non-manager alike, instead of a few microseconds. With user_id in the index
-- the reports come out of it already in order, so the planner takes it.
DROP INDEX teammates_by_manager;
CREATE INDEX teammates_by_manager ON teammates (team_id, manager_id, user_id);
