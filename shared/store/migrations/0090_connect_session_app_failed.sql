-- A connect session names the product the user connects to (app_name, shown on the hosted page;
-- null: the tenant's name), and remembers a failure the page told the product of (failed_code, with
-- used_at set so nothing more connects): opened again it shows that failure, not the chooser.
ALTER TABLE connect_sessions ADD COLUMN app_name text;
ALTER TABLE connect_sessions ADD COLUMN failed_code text;
