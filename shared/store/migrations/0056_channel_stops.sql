-- Push channels calhub has to stop and can no longer reach through push_channels:
-- * `opening`: a Google watch call in flight. Its channel id is recorded first, so if the answer
--   is lost (the channel exists at Google, its resourceId unknown) the channel's first
--   notification, the `sync` handshake, names the resourceId, and the channel is stopped.
-- * `stop`: a stop to retry with backoff until it succeeds or the channel has expired anyway: the
--   abandoned watches above, and stops an account's disconnect could not finish inline. Those
--   carry the account's grant envelope (encrypted with the key ring, as accounts.credentials),
--   because the account row is deleted; it goes with the row. Revoking that grant (Google) waits
--   for the account's last queued stop (`revoke_grant`, `external_id`): a revoked grant could not stop anything.
CREATE TABLE channel_stops (
  provider text NOT NULL,
  channel_id text NOT NULL,
  resource_id text,
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  account_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('opening', 'stop')),
  secret_hash text,
  credentials text,
  api_base text,
  revoke_grant boolean NOT NULL DEFAULT false,
  external_id text,
  expires_at timestamptz NOT NULL,
  next_try_at timestamptz NOT NULL,
  tries integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, channel_id)
);
CREATE INDEX channel_stops_due ON channel_stops (next_try_at);
