-- `/career admin schedule` counts what one workspace is sent in the next days, and names a few of
-- them in due order. reminder_plan_due (db/006) is ordered by due time across every workspace, so a
-- preview read every workspace's due rows; this index starts at the workspace. (reminder_plan is
-- WITHOUT ROWID: its key ends each entry, so the counts and names are read from the index alone.)
CREATE INDEX reminder_plan_team_due ON reminder_plan (team_id, due_at, kind) WHERE due_at IS NOT NULL;
