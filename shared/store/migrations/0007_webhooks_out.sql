-- Outbound webhooks (issue 16): endpoints the tenant registers, the outbox the changing
-- transactions write, the composed messages and one delivery row per endpoint and message.
--
-- The outbox is written by triggers, so every path that changes events, calendars, accounts or
-- conflicts (sync pages, API writes, mirror copies, merges, reverts, cascades) writes its
-- webhook rows in its own transaction: a change committed is a webhook owed, even across a crash.
-- Triggers do nothing for a tenant without an endpoint. A disabled endpoint still has messages
-- composed for it (not delivered), so a replay can send what it missed.

CREATE TABLE webhook_endpoints (
  id                     text PRIMARY KEY,
  tenant_id              text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  url                    text NOT NULL,
  description            text,
  event_types            text[] NOT NULL,
  secret                 text NOT NULL,          -- encrypted envelope (oauth/keyring.ts)
  previous_secret        text,                   -- encrypted; still signs until previous_secret_until
  previous_secret_until  timestamptz,
  status                 text NOT NULL DEFAULT 'active',   -- active | disabled
  disabled_reason        text,
  disabled_at            timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, status);

-- The outbox: one row per changed row, written by the triggers below in the changing
-- transaction. Rows of one calendar are written under that calendar's row lock (every event
-- writer takes it), so their seq order is their commit order.
CREATE TABLE webhook_outbox (
  seq                 bigserial PRIMARY KEY,
  txid                bigint NOT NULL DEFAULT txid_current(),
  tenant_id           text NOT NULL,
  kind                text NOT NULL,       -- event | calendar | account | sync | conflict
  op                  text NOT NULL,       -- created | updated | deleted | connected | needs_reauth | disconnected | failed | recovered | parked
  account_id          text,
  calendar_id         text,
  subject_id          text NOT NULL,       -- the event, calendar, account or conflict id
  uid                 text,
  original_start_key  text,
  data                jsonb,               -- the row as of this change (events: the canonical event)
  by_calhub           boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Composed messages (one per event UID per transaction, one per other change): `id` is the
-- webhook-id receivers dedupe by. `stream` (calendar or account id) is the unit of ordering.
CREATE TABLE webhook_messages (
  seq         bigserial PRIMARY KEY,
  id          text NOT NULL UNIQUE,
  tenant_id   text NOT NULL,
  type        text NOT NULL,
  stream      text NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX webhook_messages_tenant ON webhook_messages (tenant_id, created_at);

CREATE TABLE webhook_deliveries (
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  message_seq      bigint NOT NULL REFERENCES webhook_messages(seq) ON DELETE CASCADE,
  stream           text NOT NULL,
  status           text NOT NULL DEFAULT 'pending',   -- pending | delivered
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  first_failed_at  timestamptz,
  last_attempt_at  timestamptz,
  last_status      integer,
  last_error       text,
  last_latency_ms  integer,
  delivered_at     timestamptz,
  PRIMARY KEY (endpoint_id, message_seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, stream, message_seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- Who is delivering one endpoint's stream right now: order within a stream needs one sender.
CREATE TABLE webhook_streams (
  endpoint_id  text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  stream       text NOT NULL,
  lease_owner  text,
  lease_until  timestamptz,
  PRIMARY KEY (endpoint_id, stream)
);

CREATE FUNCTION calhub_webhooks_wanted(t text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = t)
$$;

-- Events: one outbox row per inserted, content-changed or deleted row. Rows deleted by a
-- cascade (their calendar is going) are left out: calendar.deleted says it.
CREATE FUNCTION calhub_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r events%ROWTYPE;
  acc text;
  op text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'deleted';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'created';
  ELSE
    IF OLD.content_hash = NEW.content_hash THEN RETURN NULL; END IF;
    r := NEW; op := 'updated';
  END IF;
  SELECT c.account_id INTO acc FROM calendars c WHERE c.id = r.calendar_id;
  IF acc IS NULL OR NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
  VALUES (r.tenant_id, 'event', op, acc, r.calendar_id, r.id, r.uid, r.original_start_key, r.data);
  RETURN NULL;
END
$$;
CREATE TRIGGER events_webhook AFTER INSERT OR UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION calhub_webhook_event();

-- A local change (API write, mirror copy, merge result) queues a provider write in the same
-- transaction: the event rows it wrote are calhub's own, and their webhooks say so.
CREATE FUNCTION calhub_webhook_own_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE webhook_outbox SET by_calhub = true
   WHERE txid = txid_current() AND calendar_id = NEW.calendar_id AND uid = NEW.uid AND kind = 'event';
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_webhook_own_write AFTER INSERT OR UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION calhub_webhook_own_write();

-- Calendars: created, deleted, and a sync that starts failing (sync.failed) or succeeds again
-- after failures (sync.recovered). Repeated failures do not repeat the webhook.
CREATE FUNCTION calhub_webhook_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r calendars%ROWTYPE;
  kind text := 'calendar';
  op text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'deleted';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'created';
  ELSIF OLD.failure_count = 0 AND NEW.failure_count > 0 THEN r := NEW; kind := 'sync'; op := 'failed';
  ELSIF OLD.failure_count > 0 AND NEW.failure_count = 0 THEN r := NEW; kind := 'sync'; op := 'recovered';
  ELSE RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, data)
  VALUES (r.tenant_id, kind, op, r.account_id, r.id, r.id, jsonb_build_object(
    'name', r.name, 'timeZone', r.time_zone, 'providerCalendarId', r.provider_calendar_id,
    'failureCount', r.failure_count, 'lastError', r.last_error, 'lastSuccessAt', r.last_success_at));
  RETURN NULL;
END
$$;
CREATE TRIGGER calendars_webhook AFTER INSERT OR DELETE OR UPDATE OF failure_count ON calendars FOR EACH ROW EXECUTE FUNCTION calhub_webhook_calendar();

-- Accounts: connected (new, or active again), needs_reauth, disconnected (disabled or removed).
CREATE FUNCTION calhub_webhook_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r accounts%ROWTYPE;
  op text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'disconnected';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'connected';
  ELSIF OLD.status IS NOT DISTINCT FROM NEW.status THEN RETURN NULL;
  ELSIF NEW.status = 'active' THEN r := NEW; op := 'connected';
  ELSIF NEW.status = 'needs_reauth' THEN r := NEW; op := 'needs_reauth';
  ELSIF NEW.status = 'disabled' THEN r := NEW; op := 'disconnected';
  ELSE RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
  VALUES (r.tenant_id, 'account', op, r.id, r.id, jsonb_build_object(
    'provider', r.provider, 'externalId', r.external_id, 'status', CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE r.status END,
    'reason', r.status_reason));
  RETURN NULL;
END
$$;
CREATE TRIGGER accounts_webhook AFTER INSERT OR DELETE OR UPDATE OF status ON accounts FOR EACH ROW EXECUTE FUNCTION calhub_webhook_account();

-- Conflicts parked for a person to resolve (policy manual).
CREATE FUNCTION calhub_webhook_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acc text;
BEGIN
  IF NEW.outcome <> 'parked' OR (TG_OP = 'UPDATE' AND OLD.outcome = 'parked') THEN RETURN NULL; END IF;
  SELECT c.account_id INTO acc FROM calendars c WHERE c.id = NEW.calendar_id;
  IF NOT calhub_webhooks_wanted(NEW.tenant_id) THEN RETURN NULL; END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
  VALUES (NEW.tenant_id, 'conflict', 'parked', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
    'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields));
  RETURN NULL;
END
$$;
CREATE TRIGGER conflicts_webhook AFTER INSERT OR UPDATE OF outcome ON conflicts FOR EACH ROW EXECUTE FUNCTION calhub_webhook_conflict();
