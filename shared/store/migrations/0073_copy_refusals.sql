-- Mirror copies the target's provider refuses, one row a copy (and, for a refusal of one
-- occurrence, a row that occurrence), kept until a write of the copy gets through or the rule no
-- longer asks for it. A refused copy's outbox entry (or, for an occurrence the provider cannot bring
-- back, its conflict, recorded once) was all there was: the rule itself said nothing, while every
-- run asked again. What GET /v1/rules/{id} (refusals) and calhub rules list/show show.
-- rule_id: the rule that made the copy (its provenance stamp), so a copy whose link went (its source
-- deleted, its delete refused) is still the rule's. occurrence: '' the copy's write as a whole,
-- else the occurrence's key (its original start).
CREATE TABLE copy_refusals (
  tenant_id text NOT NULL,
  rule_id text NOT NULL REFERENCES mirror_rules(id) ON DELETE CASCADE,
  calendar_id text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  uid text NOT NULL,
  occurrence text NOT NULL DEFAULT '',
  code text NOT NULL,
  message text NOT NULL,
  times integer NOT NULL DEFAULT 1,
  first_at timestamptz NOT NULL DEFAULT now(),
  last_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, uid, occurrence)
);
CREATE INDEX copy_refusals_rule ON copy_refusals (rule_id);
