-- Failed deliveries kept the start of the receiver's answer (`HTTP 500: <up to 200 characters>`),
-- which can echo what was sent or carry the receiver's own secrets. What is kept now is the status
-- and the answer's media type and size (hub/webhooks-out/send.ts); rows written before lose the text
-- (a redirect's location keeps no query either: tokens travel there).
UPDATE webhook_deliveries SET last_error = regexp_replace(last_error, '^(HTTP [0-9]{3}):.*$', '\1')
 WHERE last_error ~ '^HTTP [0-9]{3}:';
UPDATE webhook_deliveries SET last_error = 'redirect not followed'
 WHERE last_error LIKE 'redirect to %';
UPDATE webhook_endpoints SET last_error = regexp_replace(last_error, '^(HTTP [0-9]{3}):.*$', '\1')
 WHERE last_error ~ '^HTTP [0-9]{3}:';
