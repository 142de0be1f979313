-- A change sequence for teammate records, so background planners (reminders, digests) follow what
-- changed by a number that grows in COMMIT order, not by a timestamp: with several writers a row
-- stamped 10:00:01 may commit after the planner read past 10:00:02, and would never be planned.
--
-- One counter row: each unit of work that writes teammate records takes the next number once
-- (`UPDATE change_counter SET seq = seq + 1 RETURNING seq`) and stamps every row it writes with it.
-- The row lock taken by that UPDATE is held until the unit commits, so units that write records commit
-- in the order of their numbers, and a planner that has read everything up to N never sees a smaller N
-- appear later.
CREATE TABLE change_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
) STRICT;
INSERT INTO change_counter (id, seq) VALUES (1, 1);

ALTER TABLE teammates ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
-- Existing records: all "changed" at 1, so a planner that starts from 0 sees each of them once.
UPDATE teammates SET change_seq = 1;
CREATE INDEX teammates_by_change ON teammates (change_seq, team_id, user_id);
