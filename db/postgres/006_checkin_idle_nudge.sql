-- As db/020_checkin_idle_nudge.sql: the claim of the one nudge a day before an idle check-in expires.
ALTER TABLE checkins ADD COLUMN idle_nudged_at TEXT COLLATE "C";
