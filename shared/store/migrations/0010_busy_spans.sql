-- The busy index as one row per event row instead of one row per occurrence (issue 15): a master's
-- regular occurrences over the horizon, a single event, or one override, as one tstzmultirange
-- (occurrences that overlap or touch are joined, so a series of back-to-back instances is one
-- range). Writing ~6 GiST-indexed rows per event cost more than parsing and storing the event
-- itself. Free/busy reads a calendar's whole horizon (freebusy/busy-cache.ts) and unnests the
-- ranges; a window query filters the calendar's rows, so no GiST index is kept.
CREATE TABLE busy_spans (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  uid          text NOT NULL,
  event_key    text NOT NULL,       -- original_start_key of the event row behind the ranges ('' for a master or single)
  status       text NOT NULL,
  spans        tstzmultirange NOT NULL
);
CREATE INDEX busy_spans_uid ON busy_spans (calendar_id, uid);

INSERT INTO busy_spans (calendar_id, tenant_id, uid, event_key, status, spans)
SELECT calendar_id, tenant_id, uid, event_key, status, range_agg(span)
  FROM busy_intervals GROUP BY calendar_id, tenant_id, uid, event_key, status;

DROP TABLE busy_intervals;
