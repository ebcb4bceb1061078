/**
 * `$skiptoken` / `$deltatoken` values. Graph's tokens encode the original query (provider-facts
 * B.2), so these carry the calendarView window: a token the emulator has forgotten (evicted from
 * its cache, invalidated, or minted by an earlier emulator process) can still be answered the way
 * Graph does, 410 + a Location restarting the *same* window. Only a string that is not a token of
 * ours at all is a 400.
 */
import { randomBytes } from 'node:crypto';
import { GraphHttpError } from './http.ts';

const VERSION = 1;
const LENGTH = 1 + 8 + 8 + 12;

export interface DeltaWindow { startMs: number; endMs: number }

export function mintToken(w: DeltaWindow): string {
  const b = Buffer.alloc(LENGTH);
  b.writeUInt8(VERSION, 0);
  b.writeDoubleBE(w.startMs, 1);
  b.writeDoubleBE(w.endMs, 9);
  randomBytes(12).copy(b, 17);
  return b.toString('base64url');
}

export function windowOf(token: string): DeltaWindow | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const b = Buffer.from(token, 'base64url');
  // Node decodes base64 leniently; re-encoding rejects strings that only look similar.
  if (b.length !== LENGTH || b[0] !== VERSION || b.toString('base64url') !== token) return null;
  const startMs = b.readDoubleBE(1);
  const endMs = b.readDoubleBE(9);
  return Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs ? { startMs, endMs } : null;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The URL Graph puts in Location: the initial query of that window with an empty `$deltatoken`. */
export function restartUrl(baseUrl: string, path: string, w: DeltaWindow): string {
  return `${baseUrl}${path}?startDateTime=${encodeURIComponent(iso(w.startMs))}&endDateTime=${encodeURIComponent(iso(w.endMs))}&$deltatoken=`;
}

/** A token the server no longer holds: 410 `syncStateNotFound` + Location, or 400 if it never was one. */
export function lostToken(param: '$skiptoken' | '$deltatoken', token: string, baseUrl: string, path: string): GraphHttpError {
  const w = windowOf(token);
  if (!w) {
    // Code UNCONFIRMED: Graph documents no code for a malformed token, Exchange-style codes are what Outlook answers.
    return new GraphHttpError(400, 'ErrorInvalidUrlQuery', `The value of the query parameter '${param}' is not a valid token: '${token.slice(0, 200)}'.`);
  }
  return new GraphHttpError(410, 'syncStateNotFound', 'The sync state generation was not found; the delta token is expired and the data must be synchronized again.', {
    location: restartUrl(baseUrl, path, w),
  });
}
