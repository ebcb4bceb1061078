-- The provider's answer to calhub's own write (sync-engine/push.ts).
--
-- 1. A row that gets its provider id (a create reaching the provider, an occurrence's first write)
--    is an event.updated even when its content did not change: the app learns the event now
--    exists at the provider. The push marks it calhub's own write (writtenByCalhub: true).
-- 2. events.echo_hash: the content hash the hub's write had when the provider's answer to it
--    filled fields in (Google and Graph name the organizer, a CalDAV server may rewrite the item).
--    An If-Match with that etag still matches: the caller holds the version calhub wrote, and only
--    the provider's own echo of it came since. Any later change of the row's content clears it.

CREATE OR REPLACE FUNCTION calhub_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted text[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(t) INTO wanted FROM (SELECT DISTINCT tenant_id AS t FROM old_rows OFFSET 0) d WHERE calhub_webhooks_wanted(d.t);
  ELSE
    SELECT array_agg(t) INTO wanted FROM (SELECT DISTINCT tenant_id AS t FROM new_rows OFFSET 0) d WHERE calhub_webhooks_wanted(d.t);
  END IF;
  IF wanted IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
    SELECT r.tenant_id, 'event', 'deleted', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data
      FROM (SELECT o.*, row_number() OVER () AS pos FROM old_rows o) r JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) ORDER BY r.pos;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
    SELECT r.tenant_id, 'event', 'created', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data
      FROM (SELECT n.*, row_number() OVER () AS pos FROM new_rows n) r JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) ORDER BY r.pos;
  ELSE
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
    SELECT r.tenant_id, 'event', 'updated', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data
      FROM (SELECT n.*, row_number() OVER () AS pos FROM new_rows n) r
      JOIN old_rows o ON o.id = r.id
      JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) AND (o.content_hash <> r.content_hash OR (o.remote_id IS NULL AND r.remote_id IS NOT NULL)) ORDER BY r.pos;
  END IF;
  RETURN NULL;
END
$$;

ALTER TABLE events ADD COLUMN echo_hash text;

CREATE FUNCTION calhub_events_echo_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.echo_hash IS NOT DISTINCT FROM OLD.echo_hash THEN NEW.echo_hash := NULL; END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_echo_hash BEFORE UPDATE OF content_hash ON events
  FOR EACH ROW WHEN (OLD.content_hash IS DISTINCT FROM NEW.content_hash) EXECUTE FUNCTION calhub_events_echo_hash();
