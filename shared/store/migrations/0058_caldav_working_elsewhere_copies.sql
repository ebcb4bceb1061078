-- Mirror copies of working-elsewhere events on CalDAV calendars were written TRANSP:OPAQUE before
-- calhub wrote them TRANSPARENT (docs/busy-policy.md): every other client and the server's
-- free-busy count them busy. calhub read them back as working elsewhere, as it reads the new form,
-- so nothing ever wrote them again. Each such copy is queued for one write (an outbox entry) and
-- its ledger agreement is marked as matching nothing, so the push writes it even though the hub's
-- side is unchanged: the write merges into the object the server holds, which now reads as the busy
-- block it is (ical/parse.ts), and replaces its TRANSP. A copy already TRANSPARENT reads as
-- written and its write changes nothing there. Quarantined copies are left to the mirror.
UPDATE sync_ledger l SET base_hash = 'rewrite:0058'
 WHERE EXISTS (
   SELECT 1 FROM events e
     JOIN calendars c ON c.id = e.calendar_id
     JOIN accounts a ON a.id = c.account_id
    WHERE e.calendar_id = l.calendar_id AND e.uid = l.uid AND a.provider = 'caldav'
      AND jsonb_typeof(e.data -> 'provenance') = 'object' AND e.data ->> 'availability' = 'workingElsewhere')
   AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.calendar_id = l.calendar_id AND q.remote_id = l.remote_id);

INSERT INTO outbox (calendar_id, tenant_id, uid, op)
SELECT DISTINCT l.calendar_id, c.tenant_id, l.uid, 'put'
  FROM sync_ledger l JOIN calendars c ON c.id = l.calendar_id
 WHERE l.base_hash = 'rewrite:0058'
ON CONFLICT (calendar_id, uid) DO NOTHING;
