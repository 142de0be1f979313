-- The weekly manager digest gets its own switch (`/career digest off|on`): until now a manager's
-- `/career nudges off` stopped it, with their own growth reminders. From now `nudges` is about the
-- person's own reminders only, and the digest reads `digest` here ('on' unless the manager turned it off).
ALTER TABLE growth_preferences ADD COLUMN digest TEXT NOT NULL DEFAULT 'on' CHECK (digest IN ('on', 'off'));

-- Nobody who had stopped it gets it back unasked: a manager of record whose nudges are off keeps no digest.
INSERT INTO growth_preferences (team_id, user_id, digest, updated_at)
SELECT t.team_id, t.user_id, 'off', t.updated_at FROM teammates t
WHERE t.nudges = 'off' AND EXISTS (SELECT 1 FROM digest_plan p WHERE p.team_id = t.team_id AND p.manager_id = t.user_id)
ON CONFLICT (team_id, user_id) DO UPDATE SET digest = 'off';
