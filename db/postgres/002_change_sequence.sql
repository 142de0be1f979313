-- A change sequence for teammate records (as db/016_change_sequence.sql for SQLite): background
-- planners follow a number that grows in COMMIT order, not a timestamp. Each unit of work that writes
-- records takes the next number once (`UPDATE change_counter SET seq = seq + 1 RETURNING seq`); the row
-- lock that UPDATE takes is held until the unit commits, so units that write records commit in the order
-- of their numbers, whichever instance runs them.
CREATE TABLE change_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 1);

ALTER TABLE teammates ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE teammates SET change_seq = 1;
CREATE INDEX teammates_by_change ON teammates (change_seq, team_id, user_id);
