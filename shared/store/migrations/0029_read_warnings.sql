-- Provider items kept with a fallback reading (a DTEND before DTSTART, an unknown TZID): the item
-- syncs, but not as its author wrote it, so operators are told (hub/calendar-health.ts). A row
-- goes when its item is read again without a fallback, deleted, set aside, or the calendar's copy goes.
CREATE TABLE read_warnings (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  remote_id    text NOT NULL,
  warnings     text[] NOT NULL,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, remote_id)
);
