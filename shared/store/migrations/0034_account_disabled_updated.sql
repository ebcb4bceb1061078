-- Disabling an account pauses it: its calendars and events stay (docs/sync-states.md). It sent
-- account.disconnected, which tells a product to drop what it holds of the account, and enabling it
-- again sent account.connected with nothing to rebuild from. Both are now account.updated naming
-- the status change (oldStatus -> status, changed ["status"]); the access change's message names
-- changed ["access"]. Removing an account still sends account.disconnected, and a reconnect after
-- needs_reauth account.connected.
CREATE OR REPLACE FUNCTION calhub_webhook_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r accounts%ROWTYPE;
  op text;
  access_changed boolean := TG_OP = 'UPDATE' AND OLD.access IS NOT NULL AND NEW.access IS DISTINCT FROM OLD.access;
  paused boolean := TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status
    AND (NEW.status = 'disabled' OR (OLD.status = 'disabled' AND NEW.status = 'active'));
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'disconnected';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'connected';
  ELSIF OLD.status IS NOT DISTINCT FROM NEW.status OR paused THEN r := NEW; op := NULL;
  ELSIF NEW.status = 'active' THEN r := NEW; op := 'connected';
  ELSIF NEW.status = 'needs_reauth' THEN r := NEW; op := 'needs_reauth';
  ELSE r := NEW; op := NULL;
  END IF;
  IF op IS NULL AND NOT access_changed AND NOT paused THEN RETURN NULL; END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  IF op IS NOT NULL THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', op, r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE r.status END,
      'reason', r.status_reason, 'access', r.access));
  END IF;
  IF access_changed OR paused THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', 'updated', r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', r.status,
      'reason', r.status_reason, 'access', NEW.access, 'oldAccess', OLD.access, 'oldStatus', OLD.status,
      'changed', to_jsonb(array_remove(ARRAY[CASE WHEN paused THEN 'status' END, CASE WHEN access_changed THEN 'access' END], NULL))));
  END IF;
  RETURN NULL;
END
$$;
