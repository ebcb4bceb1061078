-- A mirror rule being deleted is marked first, and its copies are removed after: a run of the rule
-- that read it before the delete wrote copies after the delete had removed the old ones, so they
-- outlived their rule. Each copy is now written only while its rule stands unmarked (a FOR SHARE
-- lock on the rule row, which the mark waits for), and a delete that stopped half way is finished
-- by the next DELETE of the same rule.
ALTER TABLE mirror_rules ADD COLUMN deleting_since timestamptz;
