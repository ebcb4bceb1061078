-- Two-way sync state: the ledger, the outbox, conflicts, mirror rules and the write journal.

ALTER TABLE calendars ADD COLUMN conflict_policy text NOT NULL DEFAULT 'latest-wins';
ALTER TABLE calendars ADD COLUMN delete_policy text NOT NULL DEFAULT 'modify-wins';
-- Set by the mass-change guard; syncs stop until an operator clears it.
ALTER TABLE calendars ADD COLUMN flagged_reason text;
-- A pull requested while one runs: the running pull sees it at the end and runs again.
ALTER TABLE calendars ADD COLUMN pull_requested_at timestamptz;

-- What both sides last agreed on, per remote object: the base of three-way merges.
CREATE TABLE sync_ledger (
  calendar_id       text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  remote_id         text NOT NULL,
  uid               text NOT NULL,
  base              jsonb NOT NULL,
  base_hash         text NOT NULL,
  provider_version  text,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, remote_id)
);
CREATE INDEX sync_ledger_uid ON sync_ledger (calendar_id, uid);

-- Remote ids a full listing has returned so far (survives a crash between pages).
CREATE TABLE sync_seen (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  remote_id    text NOT NULL,
  PRIMARY KEY (calendar_id, remote_id)
);

-- Local changes waiting to be written to the provider; one pending entry per UID.
CREATE TABLE outbox (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  uid          text NOT NULL,
  op           text NOT NULL,            -- put | delete
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, uid)
);

CREATE TABLE conflicts (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  uid          text NOT NULL,
  remote_id    text,
  policy       text NOT NULL,
  fields       jsonb NOT NULL,           -- the fields both sides changed
  base         jsonb,
  local        jsonb,
  remote       jsonb,
  outcome      text NOT NULL,            -- local | remote | merged | parked | deleted | recreated
  resolved_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conflicts_tenant ON conflicts (tenant_id, created_at);

CREATE TABLE mirror_rules (
  id                  text PRIMARY KEY,
  tenant_id           text NOT NULL,
  source_calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  target_calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  config              jsonb NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);

-- A copy made by a rule: source UID -> copy UID in the target calendar.
CREATE TABLE mirror_links (
  rule_id             text NOT NULL,
  target_calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  source_uid          text NOT NULL,
  copy_uid            text NOT NULL,
  PRIMARY KEY (rule_id, source_uid)
);

-- Every provider write of a run, with the state before it, so a bad run can be reverted.
CREATE TABLE write_journal (
  seq          bigserial PRIMARY KEY,
  run_id       text NOT NULL,
  tenant_id    text NOT NULL,
  calendar_id  text NOT NULL,
  uid          text NOT NULL,
  remote_id    text,
  op           text NOT NULL,            -- create | update | delete
  before       jsonb,
  after        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX write_journal_run ON write_journal (run_id);
