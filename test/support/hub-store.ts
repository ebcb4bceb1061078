/**
 * Production wiring for provider store tests: an in-memory store, a tenant, an OAuth account with
 * encrypted credentials, the registry connector through makeConnect (token refresh included), and
 * helpers that read the store and the busy index back in a provider-neutral form.
 */
import { randomBytes } from 'node:crypto';
import { makeConnect } from '../../hub/connect.ts';
import { KeyRing, type StoredGrant } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { EventTime } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';
import { openTestStore } from './test-store.ts';

export interface HubSetup {
  store: Store;
  keyring: KeyRing;
  deps: EngineDeps;
  tenantId: string;
  accountId: string;
  /** Store calendar id by provider calendar id. */
  calendars: Map<string, string>;
}

/** `tokens`: the grant as the token manager stores it; `clientId`: the emulator app it belongs to. */
export async function openHub(o: { provider: 'google' | 'microsoft'; externalId: string; baseUrl: string; clientId: string; tokens: Omit<StoredGrant, 'app' | 'scope' | 'access'>; access?: StoredGrant['access'] }): Promise<HubSetup> {
  const store = await openTestStore();
  await store.migrate();
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const tenantId = (await store.tenants.create(`store-${o.provider}`)).tenant.id;
  const t = store.tenant(tenantId);
  const account = await t.accounts.upsert({
    provider: o.provider,
    externalId: o.externalId,
    credentials: keyring.encrypt(JSON.stringify({ ...o.tokens, scope: '', access: o.access ?? 'readwrite', app: 'default' } satisfies StoredGrant)),
    config: { baseUrl: o.baseUrl },
  });
  const log = createLogger({ level: 'silent' });
  const env = o.provider === 'google'
    ? { GOOGLE_CLIENT_ID: o.clientId, GOOGLE_OAUTH_BASE_URL: o.baseUrl, GOOGLE_API_BASE_URL: o.baseUrl }
    : { MICROSOFT_CLIENT_ID: o.clientId, MICROSOFT_LOGIN_BASE_URL: o.baseUrl, MICROSOFT_GRAPH_BASE_URL: o.baseUrl };
  const connect = makeConnect({ store, keyring, config: loadConfig(env), log });
  const { connector, ctx } = await connect(account);
  const remote = await connector.listCalendars(ctx);
  const cals = await t.calendars.upsertMany(account.id, remote);
  await t.accounts.markCalendarsListed(account.id);
  // The scenarios rewrite most of a small calendar on purpose; the guard has its own tests.
  const deps: EngineDeps = { store, connect, log, guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
  return { store, keyring, deps, tenantId, accountId: account.id, calendars: new Map(cals.map((c) => [c.providerCalendarId, c.id])) };
}

/** An EventTime as a comparable string: the date, the UTC instant, or the floating wall time. */
export function timeKey(t: EventTime): string {
  if ('date' in t) return t.date;
  if ('dateTime' in t) return new Date(t.dateTime).toISOString();
  return `local:${t.local}`;
}

export const iso = (ms: number | string | Date): string => new Date(ms).toISOString();

/** Busy spans of the index over [start, end): clipped, overlaps merged, as ISO instants. */
export async function busyFromIndex(h: HubSetup, calendarId: string, start: Date, end: Date): Promise<Array<{ start: string; end: string }>> {
  const spans = (await h.store.tenant(h.tenantId).busy([calendarId], start, end))
    .map((s) => [Math.max(s.start.getTime(), start.getTime()), Math.min(s.end.getTime(), end.getTime())] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged.map(([s, e]) => ({ start: iso(s), end: iso(e) }));
}

export async function storedCredentials(h: HubSetup): Promise<StoredGrant> {
  const account = await h.store.tenant(h.tenantId).accounts.get(h.accountId);
  return JSON.parse(h.keyring.decrypt(account!.credentials!)) as StoredGrant;
}

export const sortBy = <T>(items: T[], key: (x: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));
