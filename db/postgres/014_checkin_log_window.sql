-- As db/028_checkin_log_window.sql: where a check-in's window of the evidence log starts, kept when it starts, and its
-- count of one expectation read on the index alone.
ALTER TABLE checkins ADD COLUMN log_since TEXT COLLATE "C";

UPDATE checkins SET log_since = (
  SELECT max(p.finished_at) FROM checkins p
  WHERE p.team_id = checkins.team_id AND p.user_id = checkins.user_id AND p.status = 'finished'
    AND p.id <> checkins.id AND p.finished_at <= coalesce(checkins.finished_at, '~')
);

DROP INDEX evidence_by_expectation;
CREATE INDEX evidence_by_expectation ON evidence (team_id, user_id, expectation_id, created_at, id, checkin_id);
