-- Objects calhub wrote (or deleted) in a calendar since the pull that last covered them. A
-- provider whose sync token is a hash of the collection's content (Xandikos: the git tree id) can
-- answer a later pull with the very token it had before calhub's write: an object calhub created and
-- someone deleted before the next poll is then reported by no listing, and the hub kept it for ever.
-- The pull has such names checked at the provider and clears the rows its listing covered (seq).
CREATE SEQUENCE sync_written_seq;
CREATE TABLE sync_written (
  calendar_id  text NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  remote_id    text NOT NULL,
  seq          bigint NOT NULL DEFAULT nextval('sync_written_seq'),
  PRIMARY KEY (calendar_id, remote_id)
);
