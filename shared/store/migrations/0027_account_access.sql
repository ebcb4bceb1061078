-- The access an account was connected with (freebusy | read | readwrite), readable without the key
-- ring. An OAuth account's access lives in its encrypted grant, which SQL cannot read: those rows
-- stay NULL here and are filled from the grant the first time calhub reads them (hub/account-access.ts).
-- CalDAV accounts had no access level: they were connected to read and write.
ALTER TABLE accounts ADD COLUMN access text CHECK (access IN ('freebusy', 'read', 'readwrite'));
UPDATE accounts SET access = 'readwrite' WHERE provider NOT IN ('google', 'microsoft');

-- account.updated: the account was connected again with other access (oldAccess -> access). Filling
-- the column from the grant (NULL -> a level) is no change and sends nothing.
CREATE OR REPLACE FUNCTION calhub_webhook_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r accounts%ROWTYPE;
  op text;
  access_changed boolean := TG_OP = 'UPDATE' AND OLD.access IS NOT NULL AND NEW.access IS DISTINCT FROM OLD.access;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'disconnected';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'connected';
  ELSIF OLD.status IS NOT DISTINCT FROM NEW.status THEN r := NEW; op := NULL;
  ELSIF NEW.status = 'active' THEN r := NEW; op := 'connected';
  ELSIF NEW.status = 'needs_reauth' THEN r := NEW; op := 'needs_reauth';
  ELSIF NEW.status = 'disabled' THEN r := NEW; op := 'disconnected';
  ELSE r := NEW; op := NULL;
  END IF;
  IF op IS NULL AND NOT access_changed THEN RETURN NULL; END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  IF op IS NOT NULL THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', op, r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE r.status END,
      'reason', r.status_reason, 'access', r.access));
  END IF;
  IF access_changed THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', 'updated', r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', r.status,
      'reason', r.status_reason, 'access', NEW.access, 'oldAccess', OLD.access));
  END IF;
  RETURN NULL;
END
$$;
DROP TRIGGER accounts_webhook ON accounts;
CREATE TRIGGER accounts_webhook AFTER INSERT OR DELETE OR UPDATE OF status, access ON accounts
  FOR EACH ROW EXECUTE FUNCTION calhub_webhook_account();
