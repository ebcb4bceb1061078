-- Whether the account's calendar list was ever read. An OAuth connect stores the account before it
-- lists the calendars: a hub killed in between left an active account with no calendar that no
-- sweep took up (calendars_listed_at defaults to its creation). Accounts from before count as
-- listed; new ones are not until a listing succeeds (the calendar-list sweep takes them up).
ALTER TABLE accounts ADD COLUMN calendars_listed boolean NOT NULL DEFAULT true;
ALTER TABLE accounts ALTER COLUMN calendars_listed SET DEFAULT false;
