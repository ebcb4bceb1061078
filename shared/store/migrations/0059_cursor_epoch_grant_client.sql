-- cursor_epoch: bumped whenever something other than the calendar's own pull clears its sync
-- cursor (a calendar list reading that finds a missing calendar back, a pull meeting NOT_FOUND, an
-- access change, sync switched off). A pull commits its cursor only while the epoch is the one it
-- started under, so a clear made while it runs is never undone by the cursor it reached.
ALTER TABLE calendars ADD COLUMN cursor_epoch integer NOT NULL DEFAULT 0;
-- Why calhub itself last dropped the cursor, when it is because the calendar went away at the
-- provider ('missing': a calendar list left it out; 'not_found': a pull met NOT_FOUND) and may have
-- come back as another collection at the same address. The guard names it when that run's full
-- listing would remove the known events. Cleared when a pull completes.
ALTER TABLE calendars ADD COLUMN cursor_reset_reason text;
-- The OAuth client a grant was issued through, kept in clear (a client id is public: it is in every
-- authorize URL) so `calhub status` finds grants whose client the hub no longer has without
-- decrypting a single grant. grant_app NULL: not recorded yet (written on the next grant save, or
-- by the status pass that reads the grant once); grant_client_id NULL with grant_app set: a grant
-- from before client ids were recorded, which follows the hub's current client.
ALTER TABLE accounts ADD COLUMN grant_app text;
ALTER TABLE accounts ADD COLUMN grant_client_id text;
