-- calhub schema, version 1. One schema for PostgreSQL and PGlite. Every tenant-owned row carries
-- tenant_id so every query can be scoped by it.

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 hashes; `prefix` is the non-secret head shown to operators.
CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key_hash    text NOT NULL UNIQUE,
  prefix      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE accounts (
  id             text PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider       text NOT NULL,
  external_id    text NOT NULL,
  display_name   text,
  credentials    text,              -- an encrypted envelope, never plain text
  config         jsonb NOT NULL DEFAULT '{}',
  status         text NOT NULL DEFAULT 'active',
  status_reason  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, provider, external_id)
);

CREATE TABLE calendars (
  id                    text PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  account_id            text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  provider_calendar_id  text NOT NULL,
  name                  text NOT NULL,
  time_zone             text NOT NULL DEFAULT 'UTC',
  color                 text,
  access_role           text NOT NULL DEFAULT 'owner',
  sync_cursor           text,
  sync_stage            text NOT NULL DEFAULT 'idle',
  stage_started_at      timestamptz,
  stage_owner           text,
  failure_count         integer NOT NULL DEFAULT 0,
  last_success_at       timestamptz,
  last_error            text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, provider_calendar_id)
);
CREATE INDEX calendars_tenant ON calendars (tenant_id);

-- One row per master, single event or override (original_start_key = '' for masters and singles).
CREATE TABLE events (
  id                  text PRIMARY KEY,
  tenant_id           text NOT NULL,
  calendar_id         text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  remote_id           text,
  uid                 text NOT NULL,
  original_start_key  text NOT NULL DEFAULT '',
  data                jsonb NOT NULL,
  content_hash        text NOT NULL,
  provider_version    text,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (calendar_id, uid, original_start_key)
);
CREATE INDEX events_remote ON events (calendar_id, remote_id);

-- The free/busy index: recurrence expanded at write time over a rolling horizon.
CREATE TABLE busy_intervals (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  uid          text NOT NULL,
  event_key    text NOT NULL,       -- original_start_key of the event row behind the span
  span         tstzrange NOT NULL,
  status       text NOT NULL
);
CREATE INDEX busy_intervals_span ON busy_intervals USING gist (calendar_id, span);
CREATE INDEX busy_intervals_uid ON busy_intervals (calendar_id, uid);

-- The horizon busy_intervals currently covers, per calendar.
CREATE TABLE busy_horizons (
  calendar_id  text PRIMARY KEY REFERENCES calendars(id) ON DELETE CASCADE,
  start_at     timestamptz NOT NULL,
  end_at       timestamptz NOT NULL
);

-- Remote items that could not be read: kept with their error so nothing is lost silently.
CREATE TABLE quarantine (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  remote_id    text NOT NULL,
  version      text,
  error        text NOT NULL,
  raw          text,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, remote_id)
);
