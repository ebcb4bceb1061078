-- conflict.recorded for every delete conflict (one side deleted what the other changed), whichever
-- side stood: the hub's delete over a change made at the provider (delete-wins, outcome `deleted`,
-- no hub side to lose) and the hub's edit bringing back what the provider deleted (modify-wins,
-- outcome `recreated`) were recorded, or not at all, and never reported. The conflict trigger
-- (0079, 0092) keeps sending the ones that lost a hub change; this one, a trigger of its own so that
-- a later replacement of that function leaves it be, sends the rest. Same payload as 0092's.
CREATE FUNCTION calhub_webhook_conflict_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acc text;
  ev text;
  occ jsonb;
  lost boolean;
BEGIN
  IF NEW.outcome NOT IN ('deleted', 'recreated') THEN RETURN NULL; END IF;
  IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(NEW.fields) f WHERE f = 'deleted' OR f LIKE '%:deleted') THEN RETURN NULL; END IF;
  -- A hub change lost to a deletion is the conflict trigger's to send already.
  lost := NEW.outcome = 'deleted' AND jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) > 0;
  IF lost OR NOT calhub_webhooks_wanted(NEW.tenant_id) THEN RETURN NULL; END IF;
  SELECT c.account_id INTO acc FROM calendars c WHERE c.id = NEW.calendar_id;
  SELECT e.id INTO ev FROM events e WHERE e.calendar_id = NEW.calendar_id AND e.uid = NEW.uid ORDER BY e.original_start_key LIMIT 1;
  occ := CASE WHEN jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) = 1 THEN NEW.local->0->'originalStart' ELSE NULL END;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
  VALUES (NEW.tenant_id, 'conflict', 'recorded', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
    'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'outcome', NEW.outcome, 'eventId', ev, 'occurrence', occ));
  RETURN NULL;
END
$$;

CREATE TRIGGER conflicts_webhook_delete AFTER INSERT ON conflicts FOR EACH ROW EXECUTE FUNCTION calhub_webhook_conflict_delete();
