-- account.* webhooks carry the account's email (accounts.email, migration 0091): a product shows
-- which mailbox was connected without asking GET /v1/accounts/{id}. 0034's function with 'email'
-- added (a function is replaced whole); account.disconnected carries the removed row's.
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
      'reason', r.status_reason, 'access', r.access, 'email', r.email));
  END IF;
  IF access_changed OR paused THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', 'updated', r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', r.status,
      'reason', r.status_reason, 'access', NEW.access, 'oldAccess', OLD.access, 'oldStatus', OLD.status, 'email', r.email,
      'changed', to_jsonb(array_remove(ARRAY[CASE WHEN paused THEN 'status' END, CASE WHEN access_changed THEN 'access' END], NULL))));
  END IF;
  RETURN NULL;
END
$$;

-- Rows queued before this migration and not yet composed: the account's address now (none for a
-- removed account: its row is gone, and the composer says null).
UPDATE webhook_outbox o SET data = o.data || jsonb_build_object('email', a.email)
  FROM accounts a WHERE o.kind = 'account' AND a.id = o.account_id AND NOT (o.data ? 'email');
