-- As db/027_promotion_case_withdraw_expire.sql: a case may be withdrawn, and a draft not sent in 14 days expires.
-- The checks on status and sent_at were unnamed in 011: they are found by what they check and replaced.
DO $$
DECLARE name TEXT;
BEGIN
  FOR name IN SELECT conname FROM pg_constraint WHERE conrelid = 'promotion_cases'::regclass AND contype = 'c'
    AND (pg_get_constraintdef(oid) LIKE '%sent_at%' OR conname = 'promotion_cases_status_check') LOOP
    EXECUTE format('ALTER TABLE promotion_cases DROP CONSTRAINT %I', name);
  END LOOP;
END $$;
ALTER TABLE promotion_cases
  ADD CONSTRAINT promotion_cases_status_check
    CHECK (status IN ('draft', 'proposed', 'approved', 'declined', 'withdrawn', 'expired')),
  ADD CONSTRAINT promotion_cases_draft_not_sent CHECK (status <> 'draft' OR sent_at IS NULL),
  ADD CONSTRAINT promotion_cases_sent_before_admins
    CHECK (status NOT IN ('proposed', 'approved', 'declined') OR sent_at IS NOT NULL);
CREATE INDEX promotion_cases_drafts ON promotion_cases (created_at, id) WHERE status = 'draft';
