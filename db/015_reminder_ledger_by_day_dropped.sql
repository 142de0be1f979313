-- reminder_ledger_by_day (team_id, user_id, local_date) served "has this person had a reminder
-- today?", but the primary key already starts with the person: that read is a seek to their few
-- rows either way (the query-plan audit lists the index as one no read needs). It cost 2.7 MB a year
-- at 10,000 people, as much as a third of the ledger itself.
DROP INDEX reminder_ledger_by_day;
