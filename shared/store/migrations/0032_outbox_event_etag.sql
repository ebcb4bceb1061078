-- Webhook event payloads carry the etag GET /v1/events/:id answers (the row's content hash), so a
-- receiver can send If-Match with it. The outbox row records the hash of the version it was
-- written for: composed later, the event may have changed again, and that later etag must not
-- pass for this version. Rows written before this migration have none; the composer hashes their
-- data, which is what content_hash was made from. Otherwise the trigger of 0015, unchanged.
ALTER TABLE webhook_outbox ADD COLUMN content_hash text;

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
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data, content_hash)
    SELECT r.tenant_id, 'event', 'deleted', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data, r.content_hash
      FROM (SELECT o.*, row_number() OVER () AS pos FROM old_rows o) r JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) ORDER BY r.pos;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data, content_hash)
    SELECT r.tenant_id, 'event', 'created', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data, r.content_hash
      FROM (SELECT n.*, row_number() OVER () AS pos FROM new_rows n) r JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) ORDER BY r.pos;
  ELSE
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data, content_hash)
    SELECT r.tenant_id, 'event', 'updated', c.account_id, r.calendar_id, r.id, r.uid, r.original_start_key, r.data, r.content_hash
      FROM (SELECT n.*, row_number() OVER () AS pos FROM new_rows n) r
      JOIN old_rows o ON o.id = r.id
      JOIN calendars c ON c.id = r.calendar_id
     WHERE r.tenant_id = ANY(wanted) AND o.content_hash <> r.content_hash ORDER BY r.pos;
  END IF;
  RETURN NULL;
END
$$;
