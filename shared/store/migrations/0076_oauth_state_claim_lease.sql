-- A callback's claim of its state is a lease, not a final mark. The state used to be marked used
-- (and its PKCE verifier dropped) before the code exchange: a hub killed during the exchange left a
-- state no retry could finish, and the user's reload was told "already used" (410). Now the claim
-- keeps the verifier until the exchange attempt ends and holds the state until claimed_until; a
-- reload after that, while the verifier is still there (the exchange never got an answer), takes
-- the state over and exchanges the code again (the provider refuses it if it was spent after all:
-- the product is told CODE_EXCHANGE_FAILED). NULL: not claimed, or the claim ended (outcome says how).
ALTER TABLE oauth_states ADD COLUMN claimed_until timestamptz;
