-- Whether calhub keeps a copy of the calendar at all (PATCH /v1/calendars/:id {"syncEnabled"}): a
-- calendar switched off is not polled, has no push channel, holds no events and counts for no
-- one's busy time; it stays listed, so it can be switched on again (a full sync). Switching it
-- sends calendar.updated; the trigger below is 0020's with the column added (a function is
-- replaced whole).
ALTER TABLE calendars ADD COLUMN sync_enabled boolean NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION calhub_webhook_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r calendars%ROWTYPE;
  kind text := 'calendar';
  op text;
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
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, data)
  VALUES (r.tenant_id, kind, op, r.account_id, r.id, r.id, jsonb_build_object(
    'name', r.name, 'timeZone', r.time_zone, 'providerCalendarId', r.provider_calendar_id,
    'color', r.color, 'accessRole', r.access_role,
    'countsForBusy', r.sync_enabled AND COALESCE(r.counts_for_busy, r.access_role IN ('owner', 'writer')), 'missingSince', r.missing_since,
    'syncEnabled', r.sync_enabled,
    'failureCount', r.failure_count, 'lastError', r.last_error, 'lastSuccessAt', r.last_success_at));
  RETURN NULL;
END
$$;
DROP TRIGGER calendars_webhook ON calendars;
CREATE TRIGGER calendars_webhook AFTER INSERT OR DELETE OR UPDATE OF failure_count, name, color, time_zone, access_role, counts_for_busy, missing_since, sync_enabled ON calendars
  FOR EACH ROW EXECUTE FUNCTION calhub_webhook_calendar();
