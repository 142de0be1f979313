-- As db/023_checkins_finished_by_person.sql: a person's finished check-ins, latest first, without a sort.
CREATE INDEX checkins_finished_by_person ON checkins (team_id, user_id, finished_at, id) WHERE status = 'finished';
