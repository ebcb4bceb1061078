-- latest-wins compared nothing at push time (the hub's side was taken as the later edit whenever the
-- provider refused its conditional write), and a conflict did not say which times decided it. Each
-- conflict now keeps the two times latest-wins compares (sync-engine/latest.ts), whatever the policy:
-- when the hub-side change was made in the hub, and the provider's own modification time of its
-- version (null: it gave none). Conflicts recorded before carry neither.
ALTER TABLE conflicts ADD COLUMN local_changed_at timestamptz, ADD COLUMN remote_changed_at timestamptz;

-- conflict.recorded for every settled conflict, naming the side whose change was discarded (`lost`:
-- hub or provider) and both times. Before, a conflict the hub's side won sent nothing (only delete
-- conflicts were sent either way, 0087), so an app never heard that its write went over a user's
-- edit. One function sends them all now; 0087's trigger of its own goes.
DROP TRIGGER IF EXISTS conflicts_webhook_delete ON conflicts;
DROP FUNCTION IF EXISTS calhub_webhook_conflict_delete();

CREATE OR REPLACE FUNCTION calhub_webhook_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acc text;
  op text;
  ev text;
  occ jsonb;
  has_local boolean := jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) > 0;
  deletion boolean := EXISTS (SELECT 1 FROM jsonb_array_elements_text(NEW.fields) f WHERE f = 'deleted' OR f LIKE '%:deleted');
  lost text;
BEGIN
  IF NEW.outcome = 'parked' AND NOT (TG_OP = 'UPDATE' AND OLD.outcome = 'parked') THEN
    op := 'parked';
  ELSIF TG_OP = 'INSERT' AND NEW.outcome <> 'parked' THEN
    op := 'recorded';
    -- Whose change the outcome discarded. A deletion that stood lost the hub's edit, or (the hub's
    -- own delete, delete-wins) the provider's; a change brought back over a deletion (modify-wins)
    -- lost the provider's deletion, or (the hub deleted it) the hub's.
    lost := CASE
      WHEN NEW.outcome = 'remote' THEN CASE WHEN has_local THEN 'hub' END
      WHEN NEW.outcome = 'deleted' THEN CASE WHEN has_local THEN 'hub' WHEN deletion THEN 'provider' END
      WHEN NEW.outcome = 'recreated' THEN CASE WHEN NOT deletion THEN NULL WHEN has_local THEN 'provider' ELSE 'hub' END
      ELSE 'provider'
    END;
    IF lost IS NULL THEN RETURN NULL; END IF;
  ELSE
    RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(NEW.tenant_id) THEN RETURN NULL; END IF;
  SELECT c.account_id INTO acc FROM calendars c WHERE c.id = NEW.calendar_id;
  SELECT e.id INTO ev FROM events e WHERE e.calendar_id = NEW.calendar_id AND e.uid = NEW.uid ORDER BY e.original_start_key LIMIT 1;
  occ := CASE WHEN jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) = 1 THEN NEW.local->0->'originalStart' ELSE NULL END;
  IF op = 'parked' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
    VALUES (NEW.tenant_id, 'conflict', 'parked', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
      'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'eventId', ev, 'occurrence', occ));
    RETURN NULL;
  END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
  VALUES (NEW.tenant_id, 'conflict', 'recorded', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
    'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'outcome', NEW.outcome, 'eventId', ev, 'occurrence', occ,
    'lost', lost, 'localChangedAt', NEW.local_changed_at, 'remoteChangedAt', NEW.remote_changed_at));
  RETURN NULL;
END
$$;
