-- Evidence all year (issue 17): what a person keeps to show how they meet their framework's expectations, saved from
-- a Slack message ("Save as evidence"), typed as a win (`/career win`), given by a colleague asked for an example,
-- or added during a check-in. A person's own log, private to them until they share a check-in or a promotion case
-- that carries it; kept for as long as their record (`/career forget` deletes it with everything else).
--
-- `expectation_id` is one of the framework's expectation ids (unique within a framework), or NULL for "no particular
-- one"; `level_id` is the level that expectation belongs to, kept so the log still reads after a promotion.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('message', 'win', 'colleague', 'checkin')),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 3000),
  note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
  framework_id TEXT NOT NULL,
  level_id TEXT,
  expectation_id TEXT,
  -- Who wrote the message, or the colleague who gave the example; NULL for the person's own win.
  author_id TEXT,
  -- Where the message lives: its permalink, channel and ts (NULL unless source = 'message').
  permalink TEXT CHECK (permalink IS NULL OR length(permalink) <= 500),
  channel_id TEXT,
  message_ts TEXT,
  -- The check-in it was added during, if any (kept as a number: a forgotten check-in takes its evidence with it).
  checkin_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((expectation_id IS NULL) = (level_id IS NULL)),
  CHECK ((source = 'message') = (message_ts IS NOT NULL AND channel_id IS NOT NULL)),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

-- A person's log, newest first, a page at a time (`/career evidence`, the check-in's "since last time", the brag file).
CREATE INDEX evidence_by_person ON evidence (team_id, user_id, created_at, id);
-- What a person kept for one expectation, newest first (a check-in question, a promotion case).
CREATE INDEX evidence_by_expectation ON evidence (team_id, user_id, expectation_id, created_at, id);
-- One message is kept once per person: saving it again edits the first.
CREATE UNIQUE INDEX evidence_one_per_message ON evidence (team_id, user_id, channel_id, message_ts)
  WHERE message_ts IS NOT NULL;
