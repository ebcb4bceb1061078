-- What operators need to see of a push channel (issue 14): when the provider last sent a
-- notification on it, and since when the hub has considered it silent (no notification for longer
-- than its calendar usually goes without a change; the calendar is then polled).
ALTER TABLE push_channels ADD COLUMN last_notification_at timestamptz;
ALTER TABLE push_channels ADD COLUMN silent_since timestamptz;
