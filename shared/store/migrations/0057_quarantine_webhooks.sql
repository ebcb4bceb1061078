-- Two webhook fixes (issue: quarantine visibility).
--
-- 1. calendar.updated names countsForBusy whenever the countsForBusy it carries changed. The
--    payload's value is `sync_enabled AND (choice or role)`, so switching sync off or on flips it
--    too (a calendar that counted); 0055 compared the choice and role only and left it unnamed.
--    The function is 0055's with that one line widened.
-- 2. event.quarantined / event.restored: an event whose provider item became unreadable keeps its
--    last good copy (same id); a tenant app is told it is stale, and told again when a readable
--    version heals it. One message per transition: a quarantine entry is inserted once (a retry
--    updates it in place) and deleted once. Only entries of an item with a kept event are sent
--    (an item never read has no event a tenant holds; it arrives as event.created once readable),
--    and only unreadable items (an unexpandable series, RECURRENCE_UNEXPANDABLE, is readable and current).
--    An entry that goes because its item was deleted at the provider sends nothing here:
--    event.deleted says it. Rows deleted by a calendar's cascade find no events: nothing either.
CREATE OR REPLACE FUNCTION calhub_webhook_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r calendars%ROWTYPE;
  kind text := 'calendar';
  op text;
  changed jsonb := NULL;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'deleted';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'created';
  -- Switching sync off also clears the calendar's failures: that is this, not a recovery.
  ELSIF OLD.sync_enabled IS DISTINCT FROM NEW.sync_enabled THEN r := NEW; op := 'updated';
  ELSIF OLD.failure_count = 0 AND NEW.failure_count > 0 THEN r := NEW; kind := 'sync'; op := 'failed';
  ELSIF OLD.failure_count > 0 AND NEW.failure_count = 0 THEN r := NEW; kind := 'sync'; op := 'recovered';
  ELSIF (OLD.name, OLD.color, OLD.time_zone, OLD.access_role, OLD.counts_for_busy, OLD.missing_since IS NULL, OLD.sync_enabled)
        IS DISTINCT FROM (NEW.name, NEW.color, NEW.time_zone, NEW.access_role, NEW.counts_for_busy, NEW.missing_since IS NULL, NEW.sync_enabled) THEN
    r := NEW; op := 'updated';
  ELSE RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  IF kind = 'calendar' AND op = 'updated' THEN
    SELECT COALESCE(jsonb_agg(f ORDER BY n), '[]'::jsonb) INTO changed FROM (VALUES
      (1, 'name', OLD.name IS DISTINCT FROM NEW.name),
      (2, 'color', OLD.color IS DISTINCT FROM NEW.color),
      (3, 'timeZone', OLD.time_zone IS DISTINCT FROM NEW.time_zone),
      (4, 'accessRole', OLD.access_role IS DISTINCT FROM NEW.access_role),
      (5, 'countsForBusy', OLD.counts_for_busy IS DISTINCT FROM NEW.counts_for_busy
          OR (OLD.sync_enabled AND COALESCE(OLD.counts_for_busy, OLD.access_role IN ('owner', 'writer')))
             IS DISTINCT FROM (NEW.sync_enabled AND COALESCE(NEW.counts_for_busy, NEW.access_role IN ('owner', 'writer')))),
      (6, 'missingSince', (OLD.missing_since IS NULL) IS DISTINCT FROM (NEW.missing_since IS NULL)),
      (7, 'syncEnabled', OLD.sync_enabled IS DISTINCT FROM NEW.sync_enabled)) AS x(n, f, differs)
    WHERE differs;
  END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, data)
  VALUES (r.tenant_id, kind, op, r.account_id, r.id, r.id, jsonb_build_object(
    'name', r.name, 'timeZone', r.time_zone, 'providerCalendarId', r.provider_calendar_id,
    'color', r.color, 'accessRole', r.access_role,
    'countsForBusy', r.sync_enabled AND COALESCE(r.counts_for_busy, r.access_role IN ('owner', 'writer')), 'missingSince', r.missing_since,
    'syncEnabled', r.sync_enabled,
    'failureCount', r.failure_count, 'lastError', r.last_error, 'lastSuccessAt', r.last_success_at,
    'changed', changed));
  RETURN NULL;
END
$$;

-- Whether the item had a kept event when it was set aside, fixed at insert: a heal must not
-- announce as restored an item never read (its first readable version creates the event in the
-- statement that deletes the entry, so the events present then cannot tell).
ALTER TABLE quarantine ADD COLUMN kept_event_id text;
UPDATE quarantine q SET kept_event_id = (SELECT id FROM events e WHERE e.calendar_id = q.calendar_id AND e.remote_id = q.remote_id ORDER BY original_start_key LIMIT 1);

CREATE FUNCTION calhub_quarantine_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.kept_event_id := (SELECT id FROM events WHERE calendar_id = NEW.calendar_id AND remote_id = NEW.remote_id ORDER BY original_start_key LIMIT 1);
  RETURN NEW;
END
$$;

CREATE TRIGGER quarantine_kept BEFORE INSERT ON quarantine FOR EACH ROW EXECUTE FUNCTION calhub_quarantine_kept();

-- The event the item's rows show (the master, else its first instance) as of the end of the
-- statement that changed the entry: a heal writes the new version in the same statement.
CREATE FUNCTION calhub_webhook_quarantine() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  q quarantine%ROWTYPE;
  e events%ROWTYPE;
  acc text;
BEGIN
  IF TG_OP = 'DELETE' THEN q := OLD; ELSE q := NEW; END IF;
  IF q.kept_event_id IS NULL OR q.error LIKE 'recurrence cannot be expanded%' OR NOT calhub_webhooks_wanted(q.tenant_id) THEN RETURN NULL; END IF;
  SELECT * INTO e FROM events WHERE calendar_id = q.calendar_id AND remote_id = q.remote_id ORDER BY original_start_key LIMIT 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT account_id INTO acc FROM calendars WHERE id = q.calendar_id;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
  VALUES (q.tenant_id, 'quarantine', CASE WHEN TG_OP = 'DELETE' THEN 'restored' ELSE 'quarantined' END, acc, q.calendar_id, e.id, e.uid, e.original_start_key,
    jsonb_build_object('event', e.data, 'remoteId', q.remote_id, 'error', q.error));
  RETURN NULL;
END
$$;

CREATE TRIGGER quarantine_webhook AFTER INSERT OR DELETE ON quarantine FOR EACH ROW EXECUTE FUNCTION calhub_webhook_quarantine();
