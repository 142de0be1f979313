-- A person's actual title, where their level has several (Marketing level 1: Content Crafter, Press
-- Crafter or Social Media Marketer) or takes their area ("Head of Content" for "Head of …"). NULL:
-- the level's titles as the framework file lists them. A title belongs to its level: recording
-- another level without a title clears it.
ALTER TABLE teammates ADD COLUMN title TEXT CHECK (title IS NULL OR length(title) BETWEEN 1 AND 100);

-- The history records title changes too. SQLite cannot change a CHECK constraint in place, so the
-- table is rebuilt (SQLite's documented procedure; src/db/migrate.ts turns foreign keys off around
-- it and checks them before committing). Rows, ids and the append-only trigger are kept as they were.
CREATE TABLE teammate_history_new (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('framework', 'level', 'manager', 'status', 'since', 'title')),
  from_value TEXT,
  to_value TEXT,
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  note TEXT,
  CHECK (from_value IS NOT to_value),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

INSERT INTO teammate_history_new (id, team_id, user_id, field, from_value, to_value, changed_by, changed_at, note)
SELECT id, team_id, user_id, field, from_value, to_value, changed_by, changed_at, note FROM teammate_history;

DROP TABLE teammate_history;
ALTER TABLE teammate_history_new RENAME TO teammate_history;

CREATE INDEX teammate_history_by_person ON teammate_history (team_id, user_id, id);

CREATE TRIGGER teammate_history_append_only
BEFORE UPDATE ON teammate_history
BEGIN
  SELECT RAISE(ABORT, 'teammate_history is append-only: history rows are never rewritten');
END;
