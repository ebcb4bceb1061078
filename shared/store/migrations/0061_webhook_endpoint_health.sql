-- An endpoint's failure state, kept once per endpoint rather than per calendar stream: a dead
-- receiver backs off as one, so 48 calendars do not make 48 retry schedules (a retry storm), and
-- while it backs off one attempt at a time (the probe) goes to it; the probe's success resumes
-- every stream. The last error and when failing began are what the tenant API shows.
ALTER TABLE webhook_endpoints
  ADD COLUMN failures integer NOT NULL DEFAULT 0,
  ADD COLUMN failing_since timestamptz,
  ADD COLUMN retry_at timestamptz,
  ADD COLUMN probe_owner text,
  ADD COLUMN probe_until timestamptz,
  ADD COLUMN last_error_at timestamptz,
  ADD COLUMN last_error_status integer,
  ADD COLUMN last_error text;
