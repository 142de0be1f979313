-- As db/017_digest_plan_follows_changes.sql: the growth tick keeps the digest plan in step with the
-- teammates change sequence (PostgreSQL never had the SQLite triggers that did it).
ALTER TABLE digest_plan ADD COLUMN nudges TEXT COLLATE "C" CHECK (nudges IN ('dm', 'off'));

-- How far the growth tick has followed the change sequence. No row: the next tick starts from the
-- first record, which plans every manager of record. (Unlike SQLite's, this plan was never kept by
-- triggers, so no cursor is set here.)
CREATE TABLE digest_plan_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  change_seq BIGINT NOT NULL,
  team_id TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL
);
