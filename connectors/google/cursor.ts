/**
 * The connector's opaque cursor: the Google sync token, plus the page token while a listing is
 * being paged. A paged incremental listing repeats the exact same syncToken with each pageToken
 * (sync guide, A.1), so both travel together.
 */
import { SyncCursorInvalidError } from '../errors.ts';

export interface GoogleCursor {
  /** `full` while paging a listing started from no cursor. */
  mode: 'full' | 'incremental';
  syncToken: string | null;
  pageToken: string | null;
}

export const encodeCursor = (c: GoogleCursor): string => `g1.${Buffer.from(JSON.stringify(c)).toString('base64url')}`;

export function decodeCursor(s: string): GoogleCursor {
  try {
    if (!s.startsWith('g1.')) throw new Error('unknown cursor version');
    const c = JSON.parse(Buffer.from(s.slice(3), 'base64url').toString('utf8')) as GoogleCursor;
    if ((c.mode !== 'full' && c.mode !== 'incremental') || (c.mode === 'incremental' && !c.syncToken)) throw new Error('bad cursor');
    return c;
  } catch (e) {
    throw new SyncCursorInvalidError('google: the stored cursor is not readable', { provider: 'google', cause: e });
  }
}
