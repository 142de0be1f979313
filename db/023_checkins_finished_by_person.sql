-- A person's finished check-ins, latest first: what "Last time" under a question (the latest answer to the same
-- expectation), the summary's comparison with the previous check-in, `/career history` and the reminders' last
-- check-in read. They scanned every check-in the person ever had and sorted them, so answering a question cost more
-- with each check-in finished; now each walks back from the latest and stops at the first that fits.
CREATE INDEX checkins_finished_by_person ON checkins (team_id, user_id, finished_at, id) WHERE status = 'finished';
