-- Check-ins: a teammate rates their work against every expectation of their level and the next,
-- one question at a time, in the DM with Ripple (src/checkins/).
--
-- A check-in keeps a snapshot of what it asked (checkin_questions), so editing a framework file
-- never rewrites the past. Rows are deleted only by "/career forget" (and an admin forgetting
-- someone who left), children first, like the teammate history.
CREATE TABLE checkins (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  framework_id TEXT NOT NULL,
  -- The level the person was at (or chose to start from), and the next one asked; NULL at the top.
  level_id TEXT NOT NULL,
  target_level_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'finished', 'expired', 'abandoned')),
  -- Changes whenever what the person sees changes; every button carries the version it was drawn
  -- with, so a double click, a retry or an old button finds another version and changes nothing.
  version INTEGER NOT NULL CHECK (version >= 1),
  -- Position of the question being asked (0-based); equals question_count once all are answered.
  cursor INTEGER NOT NULL CHECK (cursor >= 0 AND cursor <= question_count),
  question_count INTEGER NOT NULL CHECK (question_count >= 0),
  started_at TEXT NOT NULL,
  last_activity_at TEXT NOT NULL,
  finished_at TEXT,
  -- Set when the teammate shares the summary: only then may the manager of record (shared_with) see it.
  shared_at TEXT,
  shared_with TEXT,
  CHECK ((status = 'finished') = (finished_at IS NOT NULL)),
  CHECK ((shared_at IS NULL) = (shared_with IS NULL)),
  CHECK (shared_at IS NULL OR status = 'finished'),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

CREATE INDEX checkins_by_person ON checkins (team_id, user_id, id);

-- One open check-in per person: "/career checkin" while one is open offers Continue or Start over.
CREATE UNIQUE INDEX checkins_one_open ON checkins (team_id, user_id) WHERE status = 'open';

-- The maintenance job expires open check-ins left alone for CHECKIN_EXPIRY_DAYS.
CREATE INDEX checkins_open_by_activity ON checkins (last_activity_at) WHERE status = 'open';

-- What was asked, in order, as the framework stated it then.
CREATE TABLE checkin_questions (
  checkin_id INTEGER NOT NULL REFERENCES checkins (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  level_id TEXT NOT NULL,
  level_number INTEGER NOT NULL,
  level_title TEXT NOT NULL,
  expectation_id TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (checkin_id, position)
) STRICT, WITHOUT ROWID;

-- At most one answer per question and rater: the primary key makes a second one impossible.
CREATE TABLE checkin_answers (
  checkin_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  rater TEXT NOT NULL CHECK (rater IN ('self', 'manager')),
  rating TEXT NOT NULL CHECK (rating IN ('not-yet', 'sometimes', 'consistently', 'skip')),
  answered_at TEXT NOT NULL,
  PRIMARY KEY (checkin_id, position, rater),
  FOREIGN KEY (checkin_id, position) REFERENCES checkin_questions (checkin_id, position)
) STRICT, WITHOUT ROWID;

-- What the teammate wrote to back an answer (the Add evidence modal, or a DM during the check-in).
CREATE TABLE checkin_evidence (
  id INTEGER PRIMARY KEY,
  checkin_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 3000),
  added_at TEXT NOT NULL,
  FOREIGN KEY (checkin_id, position) REFERENCES checkin_questions (checkin_id, position)
) STRICT;

CREATE INDEX checkin_evidence_by_question ON checkin_evidence (checkin_id, position);
