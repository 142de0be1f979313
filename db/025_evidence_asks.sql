-- "Ask for an example" (issue 17): a person asks a colleague for one sentence showing one expectation of their
-- framework. The colleague sees the person's name and that one expectation, never their level, record or other
-- evidence. The answer is the person's to keep: it waits here (`answer`) only until they keep it (it then lives on in
-- the evidence log, source 'colleague') or let it go; a kept, discarded or closed ask holds no text.
--
-- status: 'asked' (waiting for the colleague), 'declined' (the colleague said "Not this time": to the person it stays
-- an unanswered ask until due_at, so nobody learns who declined), 'answered' (the answer waits for Keep it / Don't
-- keep until due_at), 'kept', 'discarded', 'expired'. closed_at is set once nothing more can happen (kept, discarded,
-- or due_at passed); maintenance deletes closed asks 30 days after they closed.
CREATE TABLE evidence_asks (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  colleague_id TEXT NOT NULL,
  framework_id TEXT NOT NULL,
  level_id TEXT NOT NULL,
  expectation_id TEXT NOT NULL,
  -- The person's optional line of context for the colleague.
  context TEXT CHECK (context IS NULL OR length(context) BETWEEN 1 AND 300),
  status TEXT NOT NULL CHECK (status IN ('asked', 'declined', 'answered', 'kept', 'discarded', 'expired')),
  answer TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 1000),
  created_at TEXT NOT NULL,
  answered_at TEXT,
  -- When an open ask closes by itself: 14 days after it was asked, or after the answer came back.
  due_at TEXT NOT NULL,
  closed_at TEXT,
  CHECK (colleague_id != user_id),
  CHECK ((answer IS NOT NULL) = (status = 'answered')),
  CHECK ((closed_at IS NULL) = (status IN ('asked', 'declined', 'answered'))),
  FOREIGN KEY (team_id, user_id) REFERENCES teammates (team_id, user_id)
) STRICT;

-- One open ask per person, colleague and expectation: a second one answers "you already asked".
CREATE UNIQUE INDEX evidence_asks_one_open ON evidence_asks (team_id, user_id, colleague_id, expectation_id)
  WHERE closed_at IS NULL;
-- A person's asks, newest first (`/career asks`), and `/career forget`.
CREATE INDEX evidence_asks_by_person ON evidence_asks (team_id, user_id, created_at, id);
-- Open asks in the order they fall due (the maintenance job closes them a batch at a time).
CREATE INDEX evidence_asks_open_by_due ON evidence_asks (due_at, id) WHERE closed_at IS NULL;
-- Closed asks in the order they closed (deleted a batch at a time 30 days on).
CREATE INDEX evidence_asks_closed ON evidence_asks (closed_at, id) WHERE closed_at IS NOT NULL;
