-- OAuth connection flows (issue 11, architecture §8).

-- Where a tenant may send its users back to after a connection. Exact-match URIs only: a prefix
-- or wildcard match is how open redirects happen.
CREATE TABLE tenant_redirect_uris (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  uri         text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, uri)
);

-- A pending authorization: `state` is stored only as its SHA-256 hash, the PKCE verifier only as
-- an encrypted envelope. Consumed (deleted) by the first callback that presents it.
CREATE TABLE oauth_states (
  state_hash    text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider      text NOT NULL,
  verifier      text NOT NULL,
  redirect_uri  text NOT NULL,
  access        text NOT NULL,
  account_id    text,
  login_hint    text,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);

-- A tenant's own OAuth app per provider (its own quota); the secret is an encrypted envelope.
CREATE TABLE tenant_oauth_apps (
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider       text NOT NULL,
  client_id      text NOT NULL,
  client_secret  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider)
);

-- Hosted connect page sessions: the same fields as an authorize-url request, usable for a while.
CREATE TABLE connect_sessions (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  redirect_uri  text NOT NULL,
  access        text NOT NULL,
  login_hint    text,
  account_id    text,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- One token refresh per account across every process: a lease taken with a conditional UPDATE.
ALTER TABLE accounts ADD COLUMN refresh_lease_owner text;
ALTER TABLE accounts ADD COLUMN refresh_lease_until timestamptz;
