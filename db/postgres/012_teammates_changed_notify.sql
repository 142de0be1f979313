-- Several instances each keep the answers to a few hot reads of teammates and pauses (`/career me`, help's
-- "manager? has a record?": src/db/postgres.ts, ReadCache). Any statement that changes either table tells every
-- instance, at its commit (NOTIFY is transactional; one notification a transaction), to drop what it kept.
-- PostgreSQL only: a SQLite database is one process's, which sees its own writes.
CREATE FUNCTION ripple_teammates_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ripple_teammates_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER teammates_changed_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teammates
  FOR EACH STATEMENT EXECUTE FUNCTION ripple_teammates_changed();
CREATE TRIGGER pauses_changed_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pauses
  FOR EACH STATEMENT EXECUTE FUNCTION ripple_teammates_changed();
