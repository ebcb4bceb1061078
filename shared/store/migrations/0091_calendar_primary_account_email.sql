-- What a product needs to know of a connected account (calendar views, account views):
-- calendars.is_primary is the provider's own primary/default flag (Google calendarList `primary`,
-- Graph `isDefaultCalendar`, CalDAV the calendar schedule-default-calendar-URL names), updated on
-- every calendar-list reading; a change is calendar.updated with changed ["primary"].
-- accounts.email is the account's address (Google: its primary calendar's id; Graph: /me mail,
-- else userPrincipalName; CalDAV: the email given at connect, else the server's mailto: address).
-- Existing rows: Google's is its external id (the primary calendar's id), Microsoft's the mailbox
-- address kept at connect where there is one; the rest are filled at the next connect or listing.
ALTER TABLE calendars ADD COLUMN is_primary boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN email text;
UPDATE accounts SET email = external_id WHERE provider = 'google' AND external_id LIKE '%@%';
UPDATE accounts SET email = config->>'email' WHERE provider = 'microsoft' AND config->>'email' LIKE '%@%';

-- 0072's function with is_primary added (a function is replaced whole).
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
  ELSIF (OLD.name, OLD.color, OLD.time_zone, OLD.access_role, OLD.counts_for_busy, OLD.missing_since IS NULL, OLD.sync_enabled, OLD.time_zone_chosen, OLD.provider_time_zone, OLD.is_primary)
        IS DISTINCT FROM (NEW.name, NEW.color, NEW.time_zone, NEW.access_role, NEW.counts_for_busy, NEW.missing_since IS NULL, NEW.sync_enabled, NEW.time_zone_chosen, NEW.provider_time_zone, NEW.is_primary) THEN
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
      (7, 'syncEnabled', OLD.sync_enabled IS DISTINCT FROM NEW.sync_enabled),
      (8, 'timeZoneChosen', OLD.time_zone_chosen IS DISTINCT FROM NEW.time_zone_chosen),
      (9, 'providerTimeZone', OLD.provider_time_zone IS DISTINCT FROM NEW.provider_time_zone),
      (10, 'primary', OLD.is_primary IS DISTINCT FROM NEW.is_primary)) AS x(n, f, differs)
    WHERE differs;
  END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, data)
  VALUES (r.tenant_id, kind, op, r.account_id, r.id, r.id, jsonb_build_object(
    'name', r.name, 'timeZone', r.time_zone, 'timeZoneChosen', r.time_zone_chosen, 'providerTimeZone', r.provider_time_zone, 'providerCalendarId', r.provider_calendar_id,
    'color', r.color, 'accessRole', r.access_role,
    'countsForBusy', r.sync_enabled AND COALESCE(r.counts_for_busy, r.access_role IN ('owner', 'writer')), 'missingSince', r.missing_since,
    'syncEnabled', r.sync_enabled, 'primary', r.is_primary,
    'failureCount', r.failure_count, 'lastError', r.last_error, 'lastSuccessAt', r.last_success_at,
    'changed', changed));
  RETURN NULL;
END
$$;

DROP TRIGGER calendars_webhook ON calendars;
CREATE TRIGGER calendars_webhook AFTER INSERT OR DELETE OR UPDATE OF failure_count, name, color, time_zone, access_role, counts_for_busy, missing_since, sync_enabled, time_zone_chosen, provider_time_zone, is_primary ON calendars
  FOR EACH ROW EXECUTE FUNCTION calhub_webhook_calendar();
