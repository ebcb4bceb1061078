-- One connect session connects one account, also from two tabs or a double submit: a connect takes
-- the session (claimed_at) before it asks the provider, spends it (used_at) when the account is
-- stored, and gives it back when the connect fails. A claim older than a few minutes is a process
-- that died mid-connect and may be taken over (hub/connect-sessions.ts).
ALTER TABLE connect_sessions ADD COLUMN claimed_at timestamptz;
