-- Failed deliveries kept the start of the receiver's answer (`HTTP 500: <up to 200 characters>`),
-- which can echo what was sent or carry the receiver's own secrets. What is kept now is the status
-- and the answer's media type and size (hub/webhooks-out/send.ts); rows written before lose the text
-- (an old redirect's location is dropped: tokens travel in its query; new ones keep no query).
UPDATE webhook_deliveries SET last_error = regexp_replace(last_error, '^(HTTP [0-9]{3}):.*$', '\1')
 WHERE last_error ~ '^HTTP [0-9]{3}:';
UPDATE webhook_deliveries SET last_error = 'redirect not followed'
 WHERE last_error LIKE 'redirect to %';
UPDATE webhook_endpoints SET last_error = regexp_replace(last_error, '^(HTTP [0-9]{3}):.*$', '\1')
 WHERE last_error ~ '^HTTP [0-9]{3}:';
-- An endpoint disabled at the end of its retry window named its last error, answer text included.
UPDATE webhook_endpoints SET disabled_reason = regexp_replace(disabled_reason, '(last error: HTTP [0-9]{3}):.*$', '\1')
 WHERE disabled_reason ~ 'last error: HTTP [0-9]{3}:';

-- A used OAuth state (kept for the STATE_USED reload page, migration 0066) no longer keeps its
-- encrypted PKCE verifier: it is cleared by the same statement that marks the state used
-- (shared/store/oauth-repo.ts consumePending), not a lifetime and a day later by the sweep.
ALTER TABLE oauth_states ALTER COLUMN verifier DROP NOT NULL;
UPDATE oauth_states SET verifier = NULL WHERE used_at IS NOT NULL;
