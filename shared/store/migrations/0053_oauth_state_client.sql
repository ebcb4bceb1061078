-- A refresh token, and an authorization code, work only with the OAuth client they were issued to.
-- A tenant's app replaced (or the hub-wide GOOGLE_/MICROSOFT_CLIENT_ID changed) between a flow's
-- start and its callback made the callback exchange the code with the new client, which the
-- provider refuses (CODE_EXCHANGE_FAILED). The state now records which app and client the flow was
-- started with; the callback exchanges through that one (a replaced tenant client is kept while a
-- live flow names it, see hub/oauth-apps.ts). Null in states saved before: the current app.
ALTER TABLE oauth_states ADD COLUMN app text;
ALTER TABLE oauth_states ADD COLUMN client_id text;
