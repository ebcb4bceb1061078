-- The running hub processes (start, serve, worker) of this store and the key ring each holds:
-- `keys rotate` re-encrypts every secret under its ring's first key and must not leave one of
-- them unable to read what it wrote, or writing under another key (cli/key-ring-guard.ts). A
-- process renews its row while it runs and removes it when it stops; one killed leaves a row whose
-- seen_at stops moving, read as gone. `ring` holds a fingerprint per key (kid and an HMAC under
-- the key, never the key), the first key first.
CREATE TABLE key_ring_holders (
  id       text PRIMARY KEY,
  role     text NOT NULL,
  host     text NOT NULL,
  pid      integer NOT NULL,
  ring     text[] NOT NULL,
  seen_at  timestamptz NOT NULL DEFAULT now()
);
