-- A refresh token is bound to the OAuth client that issued it (Google and Microsoft both refuse it
-- from another client: invalid_grant). When a tenant replaces its own app with another client id,
-- the old client's credentials are kept here, secret encrypted like tenant_oauth_apps', for as long
-- as a stored grant still names that client id; hub/oauth-apps.ts drops a row once none does.
-- tenant_oauth_apps keeps the current app (the one new connections use).
CREATE TABLE tenant_oauth_app_clients (
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider       text NOT NULL,
  client_id      text NOT NULL,
  client_secret  text,
  retired_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, client_id)
);

-- A flow the operator started (`calhub accounts connect`) goes back to the CLI's own loopback page,
-- put on the tenant's allow-list only while the state is created: the callback, which checks the
-- allow-list again for every other flow (an address removed since the flow began is no longer
-- trusted), takes the operator's word for it instead.
ALTER TABLE oauth_states ADD COLUMN operator_redirect boolean NOT NULL DEFAULT false;
