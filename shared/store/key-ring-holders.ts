/**
 * The running processes of this store and their key rings (migration 0033): times are the
 * database's clock, so processes on hosts with skewed clocks agree on who is still running.
 */
import type { Queryable } from './db.ts';

export interface KeyRingHolder {
  id: string;
  role: string;
  host: string;
  pid: number;
  /** Key fingerprints, the first (encrypting) key first. */
  ring: string[];
}

/** Says (again) that `h` runs; rows of processes silent for a day are dropped on the way. */
export async function renewHolder(db: Queryable, h: KeyRingHolder): Promise<void> {
  await db.query(`DELETE FROM key_ring_holders WHERE seen_at < now() - interval '1 day'`);
  await db.query(
    `INSERT INTO key_ring_holders (id, role, host, pid, ring, seen_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (id) DO UPDATE SET ring = EXCLUDED.ring, seen_at = now()`,
    [h.id, h.role, h.host, h.pid, h.ring],
  );
}

export async function removeHolder(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM key_ring_holders WHERE id = $1', [id]);
}

/** The processes heard from within `withinMs`. */
export async function liveHolders(db: Queryable, withinMs: number): Promise<KeyRingHolder[]> {
  return db.query<KeyRingHolder>(
    `SELECT id, role, host, pid, ring FROM key_ring_holders WHERE seen_at > now() - make_interval(secs => $1::double precision / 1000) ORDER BY role, host, pid`,
    [withinMs],
  );
}
