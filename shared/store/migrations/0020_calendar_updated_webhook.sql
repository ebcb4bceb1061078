-- calendar.updated: a calendar renamed, recoloured or re-zoned at the provider (calendar lists are
-- read again), its access changed, the tenant's countsForBusy choice, or the provider's list
-- leaving it out (missingSince set) or naming it again. A write that changes none of these (a
-- reconnect's listing of the same names, a sync's bookkeeping) sends nothing.
CREATE OR REPLACE FUNCTION calhub_webhook_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r calendars%ROWTYPE;
  kind text := 'calendar';
  op text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'deleted';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'created';
  ELSIF OLD.failure_count = 0 AND NEW.failure_count > 0 THEN r := NEW; kind := 'sync'; op := 'failed';
  ELSIF OLD.failure_count > 0 AND NEW.failure_count = 0 THEN r := NEW; kind := 'sync'; op := 'recovered';
  ELSIF (OLD.name, OLD.color, OLD.time_zone, OLD.access_role, OLD.counts_for_busy, OLD.missing_since IS NULL)
        IS DISTINCT FROM (NEW.name, NEW.color, NEW.time_zone, NEW.access_role, NEW.counts_for_busy, NEW.missing_since IS NULL) THEN
    r := NEW; op := 'updated';
  ELSE RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, data)
  VALUES (r.tenant_id, kind, op, r.account_id, r.id, r.id, jsonb_build_object(
    'name', r.name, 'timeZone', r.time_zone, 'providerCalendarId', r.provider_calendar_id,
    'color', r.color, 'accessRole', r.access_role,
    'countsForBusy', COALESCE(r.counts_for_busy, r.access_role IN ('owner', 'writer')), 'missingSince', r.missing_since,
    'failureCount', r.failure_count, 'lastError', r.last_error, 'lastSuccessAt', r.last_success_at));
  RETURN NULL;
END
$$;
DROP TRIGGER calendars_webhook ON calendars;
CREATE TRIGGER calendars_webhook AFTER INSERT OR DELETE OR UPDATE OF failure_count, name, color, time_zone, access_role, counts_for_busy, missing_since ON calendars
  FOR EACH ROW EXECUTE FUNCTION calhub_webhook_calendar();
