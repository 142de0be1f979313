-- `/career forget` is one unit of work that deletes everything Ripple holds about the person, store by
-- store (src/teammates/service.ts `forget`), on SQLite and PostgreSQL alike. The triggers that did part
-- of it on SQLite only (reminders, growth preferences and digests, the digest plan's zone) go.
DROP TRIGGER teammates_forget_reminders;
DROP TRIGGER teammates_forget_growth;
DROP TRIGGER teammates_forget_digest_zone;
