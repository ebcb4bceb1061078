-- Bytes per event (issue 15): the ledger kept a full copy of every object's events as its merge
-- base, next to the same events in `events.data` (1.0-1.3 KB per event of 3.2 KB stored). A base
-- that equals the object's stored event rows is now NULL and read from them (LedgerRepo); every
-- writer that changes rows under a NULL base copies it into the ledger first (pinLedgerBases).
-- Existing rows keep their copies until their object is pulled again.
ALTER TABLE sync_ledger ALTER COLUMN base DROP NOT NULL;
