-- A used OAuth state is kept (until the sweep takes expired ones) instead of deleted, so a reload of
-- the callback is told the sign-in is done (STATE_USED) rather than "unknown link" — the code is
-- never exchanged twice. outcome: 'connected' when that sign-in connected the account.
ALTER TABLE oauth_states ADD COLUMN used_at timestamptz;
ALTER TABLE oauth_states ADD COLUMN outcome text;
