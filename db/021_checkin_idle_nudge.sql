-- A day before an idle check-in expires, its owner gets one nudge with Continue. `idle_nudged_at` is the claim:
-- set in the same transaction that keeps the DM in the outbox, so several instances send it once. A nudge
-- counts for the idle spell it was sent in: once the person answers again (last_activity_at moves past it),
-- the next spell may have its own.
ALTER TABLE checkins ADD COLUMN idle_nudged_at TEXT;
