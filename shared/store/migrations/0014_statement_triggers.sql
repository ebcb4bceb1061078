-- Write path (issue 15): per-row trigger work on the two tables a sync page fills moves to one
-- call per statement. On PostgreSQL, per 10,000 events of an initial sync, the foreign-key checks
-- of events and busy_spans cost ~20 % of the server's work and the row-level webhook trigger
-- another ~10 %, almost all of it for tenants without a webhook endpoint.
--
-- 1. Webhook outbox rows for events come from statement-level triggers with transition tables:
--    one check per statement whether the tenant has an endpoint, then one INSERT ... SELECT. The
--    rows, their payloads and the collapsing rules are the row trigger's; within one statement
--    they keep the order the rows were written in (for each kind of change).
-- 2. The foreign keys from events and busy_spans to calendars become statement-level triggers
--    with the same guarantees: a written row's calendar must exist and is locked FOR KEY SHARE
--    until commit (checked once per calendar per statement instead of once per row), and deleting
--    a calendar (directly, or by its account's or tenant's cascade) deletes its events and busy
--    spans in the same statement. Event rows deleted that way write no outbox rows: their
--    calendar is gone when the outbox trigger looks it up, as with the cascade before.

DROP TRIGGER events_webhook ON events;
DROP FUNCTION calhub_webhook_event();

-- Rows whose tenant has an endpoint and whose calendar still exists, in the order written.
CREATE FUNCTION calhub_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted text[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(t) INTO wanted FROM (SELECT DISTINCT tenant_id AS t FROM old_rows) d WHERE calhub_webhooks_wanted(d.t);
  ELSE
    SELECT array_agg(t) INTO wanted FROM (SELECT DISTINCT tenant_id AS t FROM new_rows) d WHERE calhub_webhooks_wanted(d.t);
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
CREATE TRIGGER events_webhook_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_webhook_events();
CREATE TRIGGER events_webhook_update AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_webhook_events();
CREATE TRIGGER events_webhook_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_webhook_events();

-- The calendars a statement inserted rows of must exist; each is locked as a foreign key would
-- lock it. An UPDATE that moves a row to another calendar (nothing does) is checked per row.
CREATE FUNCTION calhub_calendar_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cal text;
BEGIN
  FOR cal IN SELECT DISTINCT calendar_id FROM new_rows LOOP
    PERFORM 1 FROM calendars WHERE id = cal FOR KEY SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'insert or update on table "%" violates the calendar reference', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (calendar_id)=(%s) is not present in table "calendars".', cal);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
CREATE FUNCTION calhub_calendar_exists_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM calendars WHERE id = NEW.calendar_id FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "%" violates the calendar reference', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (calendar_id)=(%s) is not present in table "calendars".', NEW.calendar_id);
  END IF;
  RETURN NULL;
END
$$;

ALTER TABLE events DROP CONSTRAINT events_calendar_id_fkey;
CREATE TRIGGER events_calendar_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_calendar_exists();
CREATE TRIGGER events_calendar_update AFTER UPDATE OF calendar_id ON events
  FOR EACH ROW WHEN (OLD.calendar_id IS DISTINCT FROM NEW.calendar_id) EXECUTE FUNCTION calhub_calendar_exists_row();

ALTER TABLE busy_spans DROP CONSTRAINT busy_spans_calendar_id_fkey;
CREATE TRIGGER busy_spans_calendar_insert AFTER INSERT ON busy_spans REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_calendar_exists();
CREATE TRIGGER busy_spans_calendar_update AFTER UPDATE OF calendar_id ON busy_spans
  FOR EACH ROW WHEN (OLD.calendar_id IS DISTINCT FROM NEW.calendar_id) EXECUTE FUNCTION calhub_calendar_exists_row();

-- ON DELETE CASCADE of the two foreign keys, one statement per table for all deleted calendars.
CREATE FUNCTION calhub_calendars_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  ids := ARRAY(SELECT id FROM old_calendars);
  DELETE FROM events WHERE calendar_id = ANY(ids);
  DELETE FROM busy_spans WHERE calendar_id = ANY(ids);
  RETURN NULL;
END
$$;
CREATE TRIGGER calendars_cascade AFTER DELETE ON calendars REFERENCING OLD TABLE AS old_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION calhub_calendars_deleted();
