-- Hosted connect hardening (login CSRF, password guessing through the page).

-- The hash of a nonce kept in the starting browser's cookie: the callback must present it, so a
-- flow finished in another browser connects nothing. NULL for API-started flows (no browser yet).
ALTER TABLE oauth_states ADD COLUMN browser_hash text;
-- The connect session (its stored hash) the flow came from: a success spends that session.
ALTER TABLE oauth_states ADD COLUMN connect_session text;

-- Each CalDAV try through the page takes one attempt; a session that connected an account is spent.
ALTER TABLE connect_sessions ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE connect_sessions ADD COLUMN used_at timestamptz;
