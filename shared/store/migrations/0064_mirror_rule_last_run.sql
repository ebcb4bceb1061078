-- A rule's last run, one row a rule rewritten at each run's end (not a row a copy): when it ran,
-- the copies it created, updated and deleted, and the error that stopped it (code and a message
-- with secrets scrubbed), null when it finished. What GET /v1/rules/{id} and calhub rules show show.
ALTER TABLE mirror_rules ADD COLUMN last_run jsonb;
