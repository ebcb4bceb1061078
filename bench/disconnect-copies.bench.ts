/**
 * `accounts disconnect` of an account whose 30 calendars are targets of mirror rules, on the Google
 * emulator: each calendar holds 3 copies and 20 events of its own. Reports the disconnect's wall
 * time, its requests to the provider by method, and what it says it deleted.
 * BENCH_CALENDARS (default 30), BENCH_OWN_EVENTS (default 20).
 */
import { randomBytes } from 'node:crypto';
import { createGoogleConnector } from '../connectors/google/index.ts';
import type { ConnectorContext } from '../connectors/index.ts';
import { startGoogleEmulator } from '../emulators/google/index.ts';
import { disconnectAccount } from '../hub/accounts/disconnect.ts';
import { openHub } from '../hub/open-hub.ts';
import { createRule } from '../hub/rules.ts';
import { KeyRing } from '../oauth/index.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';
import { settle } from '../sync-engine/index.ts';

const CALENDARS = Number(process.env.BENCH_CALENDARS ?? 30);
const OWN = Number(process.env.BENCH_OWN_EVENTS ?? 20);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const emu = await startGoogleEmulator();
const store = await Store.open({ dataDir: null });
await store.migrate();
const tokens = new Map<string, string>();
const connector = createGoogleConnector({ baseUrl: emu.url });
const hub = await openHub({
  store, queue: 'none', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
  connect: async (account) => {
    const accessToken = tokens.get(account.externalId)!;
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    return { connector, ctx };
  },
});
const { tenant } = await store.tenants.create('disconnect-bench');
const t = store.tenant(tenant.id);
async function user(email: string, n: number) {
  emu.control.createUser({ email, timeZone: 'UTC' });
  tokens.set(email, emu.control.issueGrant({ email }).accessToken);
  const ids = Array.from({ length: n }, (_, i) => emu.control.createCalendar({ ownerEmail: email, summary: `${email} ${i}`, timeZone: 'UTC' }).id);
  const account = await t.accounts.upsert({ provider: 'memory', externalId: email });
  const cals = await t.calendars.upsertMany(account.id, ids.map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
  return { account, ids, cals };
}
const at = (d: number, h: number) => `2027-03-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;
const src = await user('src@example.com', 1);
const dst = await user('dst@example.com', CALENDARS);
for (let i = 0; i < 3; i++) emu.control.insertEvent(src.ids[0]!, { summary: `meeting ${i}`, start: { dateTime: at(1, 9 + i) }, end: { dateTime: at(1, 10 + i) } });
for (const id of dst.ids) for (let i = 0; i < OWN; i++) emu.control.insertEvent(id, { summary: `own ${i}`, start: { dateTime: at(2 + (i % 20), 8) }, end: { dateTime: at(2 + (i % 20), 9) } });
await settle(hub.deps, tenant.id, [src.cals[0]!.id, ...dst.cals.map((c) => c.id)]);
for (const c of dst.cals) await createRule(hub, tenant.id, { sourceCalendarId: src.cals[0]!.id, targetCalendarId: c.id, config: { mode: 'busy-block' } });
await settle(hub.deps, tenant.id, dst.cals.map((c) => c.id));
const before = emu.control.requests().length;
const started = performance.now();
const r = await disconnectAccount(hub, tenant.id, dst.account.id);
const ms = performance.now() - started;
const byMethod: Record<string, number> = {};
for (const q of emu.control.requests().slice(before)) byMethod[q.method] = (byMethod[q.method] ?? 0) + 1;
let left = 0;
const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => tokens.get('dst@example.com')! }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
for (const id of dst.ids) {
  let cursor: string | null = null;
  for (;;) {
    const page = await connector.listChanges(ctx, { providerCalendarId: id, timeZone: 'UTC' }, cursor);
    left += page.changes.filter((c) => c.kind === 'upsert' && !c.events.some((e) => e.title?.startsWith('own '))).length;
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
}
console.log(JSON.stringify({ calendars: CALENDARS, ownEventsEach: OWN, disconnectMs: Math.round(ms), providerRequests: byMethod, copiesDeleted: (r as { copiesDeleted?: number }).copiesDeleted, copiesLeftReported: (r as { copiesLeft?: unknown[] }).copiesLeft?.length, busyLeftAtProvider: left }));
await hub.close();
await store.close();
await emu.close();
