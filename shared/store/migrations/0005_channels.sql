-- Push channels (Google watch channels, Graph subscriptions), one per calendar, owned by the
-- channel supervisor (webhooks/). The secret the provider echoes (Google channel token, Graph
-- clientState) is kept only as its SHA-256: a database leak must not let anyone forge notifications.
-- No foreign key to calendars or accounts: when a calendar goes, its row must outlive it so the
-- supervisor can still stop the channel at the provider.
CREATE TABLE push_channels (
  calendar_id           text PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  account_id            text NOT NULL,
  provider              text NOT NULL,
  provider_calendar_id  text NOT NULL,
  time_zone             text NOT NULL DEFAULT 'UTC',
  status                text NOT NULL DEFAULT 'new',   -- new | active | renew | removed | polling
  channel_id            text,                          -- Google channel id / Graph subscription id
  resource_id           text,                          -- Google resource id / Graph resource path
  secret_hash           text,
  address               text,
  expires_at            timestamptz,
  -- When the supervisor looks at this row again (renewal time, retry after a failure, a lease).
  next_check_at         timestamptz NOT NULL DEFAULT now(),
  failures              integer NOT NULL DEFAULT 0,
  last_error            text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX push_channels_channel ON push_channels (provider, channel_id);
CREATE INDEX push_channels_due ON push_channels (next_check_at);
CREATE INDEX push_channels_tenant ON push_channels (tenant_id);
