-- Why a calendar's queued writes wait, and until when. A push the provider rate limited (or one
-- delayed past its run budget, or failed and retried) waits in the queue without a failed row, so
-- `calhub calendars writes` showed its writes as plainly `pending`, with no reason and no time.
-- One row per calendar, written by the engine when it delays or retries a push, removed when a
-- push of the calendar succeeds. next_try_at is null where the queue's backoff decides.
CREATE TABLE push_waits (
  calendar_id text PRIMARY KEY REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  reason      text NOT NULL,
  next_try_at timestamptz,
  noted_at    timestamptz NOT NULL DEFAULT now()
);
