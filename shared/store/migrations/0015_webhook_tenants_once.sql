-- Write path (issue 15): the statement-level webhook trigger of 0014 asks, per tenant among the
-- rows a statement wrote, whether it has a webhook endpoint. Written as a filter over a DISTINCT
-- subquery, the planner pushed the filter below the DISTINCT, so the check ran once per row: for
-- a 2,500-event page ~2,500 endpoint lookups (~10-20 % of the page's insert statement). OFFSET 0
-- keeps the subquery whole, so the check runs once per distinct tenant. Same outbox rows, same order.
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
     WHERE r.tenant_id = ANY(wanted) AND o.content_hash <> r.content_hash ORDER BY r.pos;
  END IF;
  RETURN NULL;
END
$$;
