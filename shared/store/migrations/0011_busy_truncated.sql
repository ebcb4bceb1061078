-- Series whose busy time was cut short by the expansion budget (issue 18): the work or wall-clock
-- budget of shared/time, or the busy index's occurrence or range cap. Their busy spans stop early, so the
-- calendar's health names them instead of the cut going unnoticed. Kept with the spans: replaced
-- whenever the UID's spans are.
CREATE TABLE busy_truncated (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  uid          text NOT NULL,
  reason       text NOT NULL,       -- 'work budget' | 'time budget' | 'occurrence cap' | 'range cap'
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, uid)
);
