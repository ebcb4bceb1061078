import { createHash, randomBytes } from 'node:crypto';

// A page of upserts needs an id per row: one randomBytes call per id cost several µs each (a
// syscall-sized request every time), so ids are cut from a pooled buffer of CSPRNG output.
const POOL = 12 * 512;
let pool = randomBytes(POOL);
let offset = 0;

/** Readable, prefixed random ids: `ten_…`, `acc_…`, `cal_…`, `evt_…`. */
export const newId = (prefix: string): string => {
  if (offset + 12 > POOL) {
    pool = randomBytes(POOL);
    offset = 0;
  }
  offset += 12;
  return `${prefix}_${pool.toString('base64url', offset - 12, offset)}`;
};

/** API keys are shown once and stored only as this hash. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const newApiKey = (): string => `chk_${randomBytes(32).toString('base64url')}`;
