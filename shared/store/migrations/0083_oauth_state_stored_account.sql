-- Which account a state's sign-in stored, written in the transaction that stores the account (and
-- spends the connect session). The state was marked connected only afterwards, in a write of its
-- own: a hub killed (or a write failing) between the two left an account that existed and worked
-- while the callback, opened again after the claim lease, told the app SIGN_IN_INTERRUPTED. A
-- state whose claim ended with this set is finished as connected instead. An account deleted
-- later takes the link with it (nothing is connected any more).
ALTER TABLE oauth_states ADD COLUMN stored_account_id text REFERENCES accounts(id) ON DELETE SET NULL;
