-- A CSV import (npm run import) is written in batches of a few hundred rows, each its own short
-- transaction, so a live Ripple on the same file keeps answering. Every row is checked and every
-- person looked up first; the resulting plan is staged here, then applied batch by batch. A batch
-- applies its rows, deletes them from import_rows and advances `done` in one transaction, so each row
-- is applied exactly once. An import that stops part-way (a crash, a full disk) keeps its remaining
-- rows here and is finished by `npm run import -- --resume`, without the file and without Slack.
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  -- The file's name as given, for messages.
  file TEXT NOT NULL,
  -- `changed_by` and `changed_at` of every history row the import writes, the same after a resume;
  -- `at` is also when the import began.
  changed_by TEXT NOT NULL,
  at TEXT NOT NULL,
  total INTEGER NOT NULL CHECK (total > 0),
  -- Rows applied so far: every staged row with seq < done is written and removed from import_rows.
  done INTEGER NOT NULL DEFAULT 0 CHECK (done BETWEEN 0 AND total),
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  -- 'staging' while the plan is copied in (nothing written to teammates yet), 'writing' once every
  -- row is staged, 'done' when the last batch is applied.
  status TEXT NOT NULL CHECK (status IN ('staging', 'writing', 'done')),
  finished_at TEXT,
  CHECK ((status = 'done') = (finished_at IS NOT NULL))
) STRICT;

-- At most one unfinished import per database: a second one would interleave with the first.
CREATE UNIQUE INDEX imports_one_unfinished ON imports ((status != 'done')) WHERE status != 'done';

-- The staged plan: one row per teammate, in file order. `change` is the JSON of the teammate change
-- (without who and when), `tz` the person's Slack time zone when the lookup returned one;
-- `manager_tz` the zone of the row's manager, on the first row that names them.
CREATE TABLE import_rows (
  import_id INTEGER NOT NULL REFERENCES imports (id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  change TEXT NOT NULL,
  tz TEXT,
  manager_tz TEXT,
  PRIMARY KEY (import_id, seq)
) STRICT, WITHOUT ROWID;
