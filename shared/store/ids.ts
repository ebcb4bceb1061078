import { createHash, randomBytes } from 'node:crypto';

/** Readable, prefixed random ids: `ten_…`, `acc_…`, `cal_…`, `evt_…`. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** API keys are shown once and stored only as this hash. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const newApiKey = (): string => `chk_${randomBytes(32).toString('base64url')}`;
