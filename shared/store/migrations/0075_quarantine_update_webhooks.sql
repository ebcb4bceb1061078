-- event.quarantined / event.restored when a quarantine entry changes in place (0057 sent them on
-- insert and delete only). A retry updates an entry's error where it stands, so a series set
-- aside as unexpandable (readable and current: no message) that then becomes unreadable sent
-- nothing, and its later heal sent an event.restored nobody had been told to expect; the reverse
-- change (unreadable, then readable again but still unexpandable) sent no event.restored.
-- The kept event is looked up again when the error changes: an entry made for an item never read
-- can later stand for an event the tenant holds.
CREATE OR REPLACE FUNCTION calhub_quarantine_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.kept_event_id := (SELECT id FROM events WHERE calendar_id = NEW.calendar_id AND remote_id = NEW.remote_id ORDER BY original_start_key LIMIT 1);
  RETURN NEW;
END
$$;

DROP TRIGGER quarantine_kept ON quarantine;
CREATE TRIGGER quarantine_kept BEFORE INSERT OR UPDATE OF error ON quarantine FOR EACH ROW EXECUTE FUNCTION calhub_quarantine_kept();

CREATE OR REPLACE FUNCTION calhub_webhook_quarantine() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  q quarantine%ROWTYPE;
  e events%ROWTYPE;
  acc text;
  op text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    q := OLD; op := 'restored';
    IF q.error LIKE 'recurrence cannot be expanded%' THEN RETURN NULL; END IF;
  ELSIF TG_OP = 'INSERT' THEN
    q := NEW; op := 'quarantined';
    IF q.error LIKE 'recurrence cannot be expanded%' THEN RETURN NULL; END IF;
  ELSE
    q := NEW;
    IF (OLD.error LIKE 'recurrence cannot be expanded%') = (NEW.error LIKE 'recurrence cannot be expanded%') THEN RETURN NULL; END IF;
    op := CASE WHEN NEW.error LIKE 'recurrence cannot be expanded%' THEN 'restored' ELSE 'quarantined' END;
  END IF;
  IF q.kept_event_id IS NULL OR NOT calhub_webhooks_wanted(q.tenant_id) THEN RETURN NULL; END IF;
  SELECT * INTO e FROM events WHERE calendar_id = q.calendar_id AND remote_id = q.remote_id ORDER BY original_start_key LIMIT 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT account_id INTO acc FROM calendars WHERE id = q.calendar_id;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
  VALUES (q.tenant_id, 'quarantine', op, acc, q.calendar_id, e.id, e.uid, e.original_start_key,
    jsonb_build_object('event', e.data, 'remoteId', q.remote_id, 'error', CASE WHEN op = 'restored' AND TG_OP = 'UPDATE' THEN OLD.error ELSE q.error END));
  RETURN NULL;
END
$$;

DROP TRIGGER quarantine_webhook ON quarantine;
CREATE TRIGGER quarantine_webhook AFTER INSERT OR DELETE OR UPDATE OF error ON quarantine FOR EACH ROW EXECUTE FUNCTION calhub_webhook_quarantine();
