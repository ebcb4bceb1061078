-- A rule a user paused (PATCH /v1/rules/{id} {"paused":true}, calhub rules pause): it makes no
-- copies and leaves those it made as they are until resumed, when its next run brings them up to date.
ALTER TABLE mirror_rules ADD COLUMN paused_at timestamptz;
