-- Where a check-in's window of the evidence log starts (issue 17): the finish of the person's check-in before it.
-- Kept on the check-in when it starts instead of looked up by every click: it cannot change while the check-in is
-- open (a person has one open check-in at most, and only a finish moves it), and it stays what the check-in showed
-- even if the one before is forgotten later. NULL: none finished before it, so the window holds the whole log.
ALTER TABLE checkins ADD COLUMN log_since TEXT;

-- Existing check-ins get what was looked up for them: the latest other finish up to their own.
UPDATE checkins SET log_since = (
  SELECT max(p.finished_at) FROM checkins p
  WHERE p.team_id = checkins.team_id AND p.user_id = checkins.user_id AND p.status = 'finished'
    AND p.id <> checkins.id AND p.finished_at <= coalesce(checkins.finished_at, '~')
);

-- A question's count of what the window holds for its expectation reads the index alone: whether an entry was added
-- during the check-in being shown (it is that check-in's own evidence, not the log's) joins the key.
DROP INDEX evidence_by_expectation;
CREATE INDEX evidence_by_expectation ON evidence (team_id, user_id, expectation_id, created_at, id, checkin_id);
