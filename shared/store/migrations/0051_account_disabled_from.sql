-- `accounts disable` then `accounts enable` turned a needs_reauth account active (found by an outside
-- user): enable refuses a needs_reauth account, but the disable in between forgot that its grant was
-- dead. The disable now keeps the status it left and its reason here; enable returns to them.
ALTER TABLE accounts ADD COLUMN disabled_from text;
ALTER TABLE accounts ADD COLUMN disabled_from_reason text;
