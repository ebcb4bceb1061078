/**
 * Idempotency-Key on API writes, after Stripe's: the first answer to a tenant's key is kept for
 * 24 h; a retry of the same request (method, path, query in any order, and body) gets that answer again without the
 * operation running twice, a request with another method, path or body gets 409
 * IDEMPOTENCY_KEY_REUSED. Retries that arrive while the first request still runs wait for its
 * answer (up to `waitMs`, then 409 IDEMPOTENCY_KEY_IN_USE). Answers of 5xx and 429 are not kept:
 * nothing was done, so a retry runs again.
 */
import { createHash } from 'node:crypto';
import { HubError } from '../shared/errors.ts';
import type { StoredAnswer } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A pending key whose request has been silent this long (its process died) may be taken over. */
export const IDEMPOTENCY_STALE_MS = 60_000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export type { StoredAnswer };

export interface IdempotencyOptions {
  now?: () => Date;
  /** How long a retry waits for the first request's answer. */
  waitMs?: number;
}

export type IdempotentStart = { kind: 'run'; token: string } | { kind: 'replay'; answer: StoredAnswer };

/** Keys are 1–255 visible ASCII characters (a UUID is the usual choice). */
export const isIdempotencyKey = (key: string): boolean => KEY_RE.test(key);

/** JSON with object keys sorted: two spellings of one body give one fingerprint. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The path as sent, the query decoded and ordered by name (a name's repeated values keep their
 * order): `?a=1&b=2` and `?b=2&a=%31` are one request. A URL without a query reads as before, so
 * keys claimed before this rule still match their retries.
 */
function canonicalUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = [...new URLSearchParams(url.slice(at + 1))];
  if (pairs.length === 0) return url.slice(0, at);
  const query = pairs
    .map(([k, v], i) => ({ k, v, i }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map(({ k, v }) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${canonicalUrl(url)}\n${canonicalJson(body ?? null)}`).digest('hex');
}

const reused = () => new HubError('IDEMPOTENCY_KEY_REUSED', 'never', 'this Idempotency-Key was used with another request in the last 24 h; use a new key for a new request');

/**
 * Claims `key` for this request, or returns the answer kept for it. Throws 409s: the key was used
 * for another request, or its first request is still running after `waitMs`.
 */
export async function startIdempotent(hub: Hub, tenantId: string, key: string, fingerprint: string, opts: IdempotencyOptions = {}): Promise<IdempotentStart> {
  if (!isIdempotencyKey(key)) throw new HubError('INVALID_REQUEST', 'never', 'Idempotency-Key must be 1-255 visible ASCII characters');
  const now = opts.now ?? (() => new Date());
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  let pause = 10;
  for (;;) {
    const t = now();
    const c = await hub.store.idempotency.claim(tenantId, key, fingerprint, t, IDEMPOTENCY_TTL_MS, new Date(t.getTime() - IDEMPOTENCY_STALE_MS));
    if (c.kind === 'claimed') return { kind: 'run', token: c.token };
    if (c.fingerprint !== fingerprint) throw reused();
    if (c.kind === 'done') return { kind: 'replay', answer: c.answer };
    if (Date.now() >= deadline) throw new HubError('IDEMPOTENCY_KEY_IN_USE', 'backoff', 'the first request with this Idempotency-Key is still running; retry later');
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 200);
  }
}

/** Keeps the answer of a request that ran (null or a 5xx/429 answer: the key is released so a retry runs again). */
export async function finishIdempotent(hub: Hub, tenantId: string, key: string, token: string, answer: StoredAnswer | null): Promise<void> {
  if (answer === null || answer.status >= 500 || answer.status === 429) await hub.store.idempotency.release(tenantId, key, token);
  else await hub.store.idempotency.complete(tenantId, key, token, answer);
}

/** Maintenance: deletes the keys older than 24 h. */
export function purgeIdempotencyKeys(hub: Hub, now = new Date()): Promise<number> {
  return hub.store.idempotency.purgeExpired(now);
}
