/** What an operator needs to know about a calendar's syncing, as `resync` and `accounts list` show it. */
import type { SyncStage } from '../shared/model/index.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { quarantineSummary, readWarningSummary, refusedWrites, truncatedSeries, REFUSALS_BEFORE_PARKING, type QuarantineSummary, type ReadWarningSummary, type RefusedWrites } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface CalendarHealth {
  id: string;
  name: string;
  stage: SyncStage;
  /** False: switched off; calhub keeps no copy of it (not a problem). */
  syncEnabled: boolean;
  lastError: string | null;
  flagged: string | null;
  /** Local changes the provider refused; they stay in the outbox (parked after REFUSALS_BEFORE_PARKING content refusals). */
  failedWrites: number;
  writeErrors: string[];
  /**
   * Provider items set aside while the rest synced (unstorable text, a UID two objects share,
   * data that does not map), named by remote id with their reasons; null when there are none.
   * A warning: the calendar syncs.
   */
  quarantine: string | null;
  /**
   * Series stored whole whose busy time stops early: their expansion ran out of its work or time
   * budget, or past the busy index's occurrence cap. Named by UID; null when there are none. A warning.
   */
  truncated: string | null;
  /**
   * Provider items kept with a fallback reading (a DTEND before DTSTART, an unknown TZID): they
   * sync, but not quite as written. Named by remote id with the fallbacks; null when there are none. A warning.
   */
  fallbacks: string | null;
  /** The most important problem in one line, or null when the calendar is healthy. */
  error: string | null;
}

const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…` : s);
const more = (count: number, shown: number) => (count > shown ? `; and ${count - shown} more` : '');

function quarantineNote(q: QuarantineSummary): string {
  const named = q.items.map((i) => `${i.remoteId} (${clip(scrubSecrets(i.error))})`);
  return `${q.count} item(s) quarantined: ${named.join('; ')}${more(q.count, named.length)}`;
}

function fallbackNote(w: ReadWarningSummary): string {
  const named = w.items.map((i) => `${i.remoteId} (${i.warnings.map((x) => clip(scrubSecrets(x))).join('; ')})`);
  return `${w.count} item(s) read with a fallback: ${named.join('; ')}${more(w.count, named.length)}`;
}

function refusalNote(w: RefusedWrites): string {
  const parked = (i: RefusedWrites['items'][number]) =>
    i.retryAt ? `, a delete parked after ${REFUSALS_BEFORE_PARKING} refusals, offered again from ${i.retryAt}` : i.parked ? `, parked after ${REFUSALS_BEFORE_PARKING} refusals until it is changed` : '';
  const named = w.items.map((i) => `${clip(scrubSecrets(i.error))} (event ${i.uid}${parked(i)})`);
  return `${w.count} local change(s) refused by the provider: ${named.join('; ')}${more(w.count, named.length)}`;
}

export async function calendarHealth(hub: Hub, tenantId: string, ids: string[]): Promise<CalendarHealth[]> {
  const t = hub.store.tenant(tenantId);
  const byCal = new Map((await refusedWrites(hub.store.db, ids)).map((r) => [r.calendarId, r]));
  const quarantined = new Map((await quarantineSummary(hub.store.db, ids)).map((q) => [q.calendarId, q]));
  const cut = new Map((await truncatedSeries(hub.store.db, ids)).map((x) => [x.calendarId, x]));
  const fellBack = new Map((await readWarningSummary(hub.store.db, ids)).map((x) => [x.calendarId, x]));
  const out: CalendarHealth[] = [];
  for (const c of await t.calendars.list({ ids })) {
    const flagged = (await t.sync.settings(c.id))?.flaggedReason ?? null;
    const w = byCal.get(c.id);
    const q = quarantined.get(c.id);
    const writeErrors = (w?.errors ?? []).map(scrubSecrets);
    const lastError = c.lastError === null ? null : scrubSecrets(c.lastError);
    let error: string | null = null;
    if (c.missingSince) error = `the provider no longer lists this calendar (since ${c.missingSince}); it is removed when the account's calendar list, read again, still leaves it out (or kept if it is back)`;
    else if (flagged) error = `stopped by the mass-change guard: ${flagged} (check the provider side — \`calhub resync ${c.accountId} --dry-run\` shows the stopped change — then: calhub calendars unflag ${c.id} --tenant ${tenantId})`;
    else if (c.syncStage === 'failed') error = `sync failed: ${lastError ?? 'unknown error'}`;
    else if (w) error = refusalNote(w);
    const x = cut.get(c.id);
    const f = fellBack.get(c.id);
    const truncated = x ? `${x.count} series' busy time cut short by the expansion budget: ${x.items.map((i) => `event ${i.uid} (${i.reason})`).join('; ')}${more(x.count, x.items.length)}` : null;
    out.push({ id: c.id, name: c.name, stage: c.syncStage, syncEnabled: c.syncEnabled, lastError, flagged, failedWrites: w?.count ?? 0, writeErrors, quarantine: q ? quarantineNote(q) : null, truncated, fallbacks: f ? fallbackNote(f) : null, error });
  }
  return out;
}
