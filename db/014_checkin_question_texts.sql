-- A check-in's snapshot of what it asked kept each question's words once per check-in: the same
-- framework text, copied for every person at that level, was most of the file after a year (28.8 of
-- 54.7 MB at 10,000 people with two check-ins each). The words now live once in
-- checkin_question_texts, and a check-in's questions point at them. The snapshot still never changes
-- when a framework file is edited: an edited expectation is a new row, and old check-ins keep
-- pointing at the words they asked. Rows here are framework text, never anything a person wrote, so
-- "/career forget" leaves them.
CREATE TABLE checkin_question_texts (
  id INTEGER PRIMARY KEY,
  level_id TEXT NOT NULL,
  level_number INTEGER NOT NULL,
  level_title TEXT NOT NULL,
  expectation_id TEXT NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (level_id, expectation_id, level_number, level_title, text)
) STRICT;

INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text)
SELECT DISTINCT level_id, level_number, level_title, expectation_id, text FROM checkin_questions
ORDER BY level_id, expectation_id;

-- Rebuilt (SQLite's documented procedure) under the same name and primary key, so the answers and
-- evidence that reference (checkin_id, position) keep pointing at their question.
CREATE TABLE checkin_questions_new (
  checkin_id INTEGER NOT NULL REFERENCES checkins (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  question_id INTEGER NOT NULL REFERENCES checkin_question_texts (id),
  PRIMARY KEY (checkin_id, position)
) STRICT, WITHOUT ROWID;

INSERT INTO checkin_questions_new (checkin_id, position, question_id)
SELECT q.checkin_id, q.position, t.id
FROM checkin_questions q
JOIN checkin_question_texts t
  ON t.level_id = q.level_id AND t.expectation_id = q.expectation_id AND t.level_number = q.level_number
  AND t.level_title = q.level_title AND t.text = q.text;

DROP TABLE checkin_questions;
ALTER TABLE checkin_questions_new RENAME TO checkin_questions;
