-- Whether a calendar counts when free/busy or availability names its account: null follows its
-- access (a calendar the account owns or writes counts; one shared with it to read — a colleague's,
-- holidays, birthdays — does not); true or false is the tenant's own choice. A calendar named by
-- id always counts.
ALTER TABLE calendars ADD COLUMN counts_for_busy boolean;
