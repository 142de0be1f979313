-- The promotion case (issue 17, item 5): a manager (or an admin) proposes a person for their next level; the person
-- reads the case, may add a note, and sends it on to the Ripple admins (by DM, or the workspace's promotion channel);
-- an admin approves (the level is recorded through the same confirmed path as `/career set`) or declines with a note
-- for the manager. The row is the case's whole story: each step's time is kept on it, and `/career history` shows
-- them to the person. The evidence and ratings are read when the case is shown, never copied here.
--
-- status: 'draft' (with the person, not yet sent), 'proposed' (with the admins), 'approved', 'declined'.
CREATE TABLE promotion_cases (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  framework_id TEXT NOT NULL,
  from_level_id TEXT NOT NULL,
  to_level_id TEXT NOT NULL,
  -- The rated check-in the case was proposed from (its ratings are shown side by side); NULL: the latest shared one.
  checkin_id INTEGER,
  manager_note TEXT CHECK (manager_note IS NULL OR length(manager_note) BETWEEN 1 AND 1000),
  person_note TEXT CHECK (person_note IS NULL OR length(person_note) BETWEEN 1 AND 1000),
  status TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'approved', 'declined')),
  -- Where it went when sent: a channel id, or NULL for the Ripple admins' DMs.
  sent_to_channel TEXT,
  created_at TEXT NOT NULL,
  person_note_at TEXT,
  sent_at TEXT,
  decided_by TEXT,
  decided_at TEXT,
  -- Approve: the date the new level counts from; Decline: NULL.
  since TEXT,
  -- Decline: the note for the manager (never shown to the person).
  decision_note TEXT CHECK (decision_note IS NULL OR length(decision_note) BETWEEN 1 AND 1000),
  CHECK ((status IN ('draft', 'proposed')) = (decided_at IS NULL)),
  CHECK ((status = 'draft') = (sent_at IS NULL)),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

-- One open case a person: a second Propose is refused while one is with the person or the admins.
CREATE UNIQUE INDEX promotion_cases_one_open ON promotion_cases (team_id, user_id) WHERE status IN ('draft', 'proposed');
-- A person's cases, newest last (`/career history`, `/career forget`).
CREATE INDEX promotion_cases_by_person ON promotion_cases (team_id, user_id, created_at, id);

-- Where cases go and when a rated check-in offers Propose, per workspace (`/career admin promotions`). No row: the
-- admins' DMs and the default threshold of 80 %.
CREATE TABLE promotion_settings (
  team_id TEXT PRIMARY KEY,
  channel_id TEXT,
  threshold INTEGER CHECK (threshold IS NULL OR threshold BETWEEN 1 AND 100),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
