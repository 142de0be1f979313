-- A case that never moves no longer blocks the person (issue 17, polish): the proposer (or an admin) may withdraw a
-- case not yet decided, and a draft the person did not send within 14 days expires (the maintenance job). Both end
-- the case like a decision: decided_at is the step's time; decided_by who withdrew it (NULL when it expired). SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt (SQLite's documented procedure), keeping its
-- rows and ids.
--
-- status: 'draft', 'proposed', 'approved', 'declined', 'withdrawn', 'expired'.
CREATE TABLE promotion_cases_new (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  framework_id TEXT NOT NULL,
  from_level_id TEXT NOT NULL,
  to_level_id TEXT NOT NULL,
  checkin_id INTEGER,
  manager_note TEXT CHECK (manager_note IS NULL OR length(manager_note) BETWEEN 1 AND 1000),
  person_note TEXT CHECK (person_note IS NULL OR length(person_note) BETWEEN 1 AND 1000),
  status TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'approved', 'declined', 'withdrawn', 'expired')),
  sent_to_channel TEXT,
  created_at TEXT NOT NULL,
  person_note_at TEXT,
  sent_at TEXT,
  decided_by TEXT,
  decided_at TEXT,
  since TEXT,
  decision_note TEXT CHECK (decision_note IS NULL OR length(decision_note) BETWEEN 1 AND 1000),
  CHECK ((status IN ('draft', 'proposed')) = (decided_at IS NULL)),
  -- A draft was never sent; a case that reached the admins was. A withdrawn or expired case may be either.
  CHECK (status <> 'draft' OR sent_at IS NULL),
  CHECK (status NOT IN ('proposed', 'approved', 'declined') OR sent_at IS NOT NULL),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

INSERT INTO promotion_cases_new SELECT id, team_id, user_id, proposed_by, framework_id, from_level_id, to_level_id,
  checkin_id, manager_note, person_note, status, sent_to_channel, created_at, person_note_at, sent_at, decided_by,
  decided_at, since, decision_note FROM promotion_cases;

DROP TABLE promotion_cases;
ALTER TABLE promotion_cases_new RENAME TO promotion_cases;

CREATE UNIQUE INDEX promotion_cases_one_open ON promotion_cases (team_id, user_id) WHERE status IN ('draft', 'proposed');
CREATE INDEX promotion_cases_by_person ON promotion_cases (team_id, user_id, created_at, id);
-- Drafts by age, for the maintenance job's expiry (a batch at a time, the oldest first).
CREATE INDEX promotion_cases_drafts ON promotion_cases (created_at, id) WHERE status = 'draft';
