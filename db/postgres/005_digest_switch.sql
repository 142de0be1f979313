-- As db/020_digest_switch.sql: the weekly manager digest's own switch (`/career digest off|on`).
ALTER TABLE growth_preferences ADD COLUMN digest TEXT COLLATE "C" NOT NULL DEFAULT 'on' CHECK (digest IN ('on', 'off'));

INSERT INTO growth_preferences (team_id, user_id, digest, updated_at)
SELECT t.team_id, t.user_id, 'off', t.updated_at FROM teammates t
WHERE t.nudges = 'off' AND EXISTS (SELECT 1 FROM digest_plan p WHERE p.team_id = t.team_id AND p.manager_id = t.user_id)
ON CONFLICT (team_id, user_id) DO UPDATE SET digest = 'off';
