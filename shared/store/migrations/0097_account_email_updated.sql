-- An account's address changing (accounts.setEmail: an account from before 0091 learning it from
-- its calendar list; a reconnect naming another address) sent no webhook: the trigger fired only on
-- status and access, so a product that keyed anything on the email never learnt the new one. It is
-- now account.updated with changed ["email"] and oldEmail (with the other changes of the same
-- statement, if any). Other columns (credentials, config, display name, reason, timestamps) still
-- send nothing. 0094's function with the email test added (a function is replaced whole).
CREATE OR REPLACE FUNCTION calhub_webhook_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r accounts%ROWTYPE;
  op text;
  access_changed boolean := TG_OP = 'UPDATE' AND OLD.access IS NOT NULL AND NEW.access IS DISTINCT FROM OLD.access;
  paused boolean := TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status
    AND (NEW.status = 'disabled' OR (OLD.status = 'disabled' AND NEW.status = 'active'));
  email_changed boolean := TG_OP = 'UPDATE' AND NEW.email IS DISTINCT FROM OLD.email;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; op := 'disconnected';
  ELSIF TG_OP = 'INSERT' THEN r := NEW; op := 'connected';
  ELSIF OLD.status IS NOT DISTINCT FROM NEW.status OR paused THEN r := NEW; op := NULL;
  ELSIF NEW.status = 'active' THEN r := NEW; op := 'connected';
  ELSIF NEW.status = 'needs_reauth' THEN r := NEW; op := 'needs_reauth';
  ELSE r := NEW; op := NULL;
  END IF;
  IF op IS NULL AND NOT access_changed AND NOT paused AND NOT email_changed THEN RETURN NULL; END IF;
  IF NOT calhub_webhooks_wanted(r.tenant_id) THEN RETURN NULL; END IF;
  IF op IS NOT NULL THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', op, r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE r.status END,
      'reason', r.status_reason, 'access', r.access, 'email', r.email));
  END IF;
  IF access_changed OR paused OR email_changed THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
    VALUES (r.tenant_id, 'account', 'updated', r.id, r.id, jsonb_build_object(
      'provider', r.provider, 'externalId', r.external_id, 'status', r.status,
      'reason', r.status_reason, 'access', NEW.access, 'oldAccess', OLD.access, 'oldStatus', OLD.status, 'email', r.email, 'oldEmail', OLD.email,
      'changed', to_jsonb(array_remove(ARRAY[CASE WHEN paused THEN 'status' END, CASE WHEN access_changed THEN 'access' END,
                                             CASE WHEN email_changed THEN 'email' END], NULL))));
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER accounts_webhook ON accounts;
CREATE TRIGGER accounts_webhook AFTER INSERT OR DELETE OR UPDATE OF status, access, email ON accounts
  FOR EACH ROW EXECUTE FUNCTION calhub_webhook_account();
