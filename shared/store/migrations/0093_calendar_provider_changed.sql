-- When a pull last stored a change made at the provider (not calhub's own write coming back, not a
-- hub-side rewrite of the rows), set in the same commit as that change. The missed-change check
-- (channel-activity.ts markMissedChanges) compares it with the channel's last notification: it read
-- events.updated_at before, which the hub also rewrites (an access change's scrub, the answer of a
-- write it pushed), so healthy channels were suspected, and it scanned the events of every live channel.
-- NULL until the first such pull: no change found, nothing missed.
ALTER TABLE calendars ADD COLUMN provider_changed_at timestamptz;
