-- Idempotency-Key on API writes (issue 17): the first answer to a tenant's key is kept for 24 h
-- and replayed to retries with the same request; a retry with another request is refused. A row is
-- `pending` while its first request runs (other retries wait for it), then `done` with the answer.
CREATE TABLE idempotency_keys (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key          text NOT NULL,
  -- SHA-256 of method, route and body: what "the same request" means.
  fingerprint  text NOT NULL,
  state        text NOT NULL CHECK (state IN ('pending', 'done')),
  -- Who holds a pending row: only that request may complete or release it.
  token        text NOT NULL,
  claimed_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  status       integer,
  headers      jsonb,
  body         text,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
