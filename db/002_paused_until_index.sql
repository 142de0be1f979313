-- The maintenance job ends every pause whose return date has come ("settle ended pauses"): it asks
-- for paused records with a return date on or before a day. This partial index holds only those
-- rows, so the query costs what is due, not the number of teammates.
CREATE INDEX teammates_pause_returns ON teammates (paused_until) WHERE status = 'paused' AND paused_until IS NOT NULL;
