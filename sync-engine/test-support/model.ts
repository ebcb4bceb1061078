/**
 * The model-based sync test (target R3), after vdirsyncer's SyncMachine: random edits on every
 * side of three memory calendars joined by mirror rules, with injected faults, and after every
 * sync: convergence, no duplicates, no echo writes, nothing dropped that a policy did not drop.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MemoryFault } from '../../connectors/memory/index.ts';
import type { EngineDeps } from '../deps.ts';
import type { EventWriterService } from '../writer.ts';
import { isHubError } from '../../shared/errors.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { objectHash } from '../object-hash.ts';
import { settle } from '../settle.ts';
import { memoryEnv, sampleEvent } from './memory-env.ts';

/** The provider side of the model, as another client sees it. */
export interface ProviderDriver {
  list(cal: number): Promise<Array<{ remoteId: string; events: CanonicalEvent[] }>>;
  put(cal: number, remoteId: string | null, events: CanonicalEvent[]): Promise<void>;
  delete(cal: number, remoteId: string): Promise<void>;
  /** Writes the provider has received so far (ours and out-of-band). */
  writes(): number;
  fault?(f: MemoryFault): void;
  /**
   * Providers reached over HTTP share one server with the test's own client, so their faults are
   * queued by `fault` and only armed while the hub syncs, then cleared.
   */
  arm?(): void;
  disarm?(): void;
  /** The calendar's provider keeps each instance of a series as an object of its own (Google, Graph). */
  apart?(cal: number): boolean;
  /** The calendar's provider drops a series' exceptions when its rule changes (Graph). */
  dropsExceptionsOnRuleChange?(cal: number): boolean;
  /** The calendar's provider refuses an occurrence moved onto or past a neighbour (Graph). */
  keepsOccurrenceOrder?(cal: number): boolean;
}

export interface ModelEnv {
  store: Store;
  deps: EngineDeps;
  tenantId: string;
  calendars: string[];
  writer: EventWriterService;
  driver: ProviderDriver;
}

type Cmd =
  | { k: 'pCreate'; cal: number }
  | { k: 'pEdit'; cal: number; pick: number; title: string }
  | { k: 'pMove'; cal: number; pick: number; day: number }
  | { k: 'pDelete'; cal: number; pick: number }
  | { k: 'pTouch'; cal: number; pick: number }
  | { k: 'pEditCopy'; cal: number; pick: number }
  | { k: 'hCreate'; cal: number }
  | { k: 'hEdit'; cal: number; pick: number; title: string }
  | { k: 'hDelete'; cal: number; pick: number }
  | { k: 'fault'; fault: MemoryFault }
  | { k: 'sync' };

const cal = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(50);
const title = fc.constantFrom('standup', 'review', '1:1', 'planning', 'retro', 'focus');
export const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: cal.map((c) => ({ k: 'pCreate' as const, cal: c })) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('pEdit' as const), cal, pick, title }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('pMove' as const), cal, pick, day: fc.integer({ min: 1, max: 28 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('pDelete' as const), cal, pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('pTouch' as const), cal, pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('pEditCopy' as const), cal, pick }) },
  { weight: 3, arbitrary: cal.map((c) => ({ k: 'hCreate' as const, cal: c })) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('hEdit' as const), cal, pick, title }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('hDelete' as const), cal, pick }) },
  { weight: 2, arbitrary: fc.constantFrom<MemoryFault>('timeout-after-write', 'precondition-failed', 'server-error', 'rate-limited').map((f) => ({ k: 'fault' as const, fault: f })) },
  { weight: 4, arbitrary: fc.constant({ k: 'sync' as const }) },
);

/** Every kind of command, faults by name: a bounded run (CI) must still draw each of them. */
export const COMMAND_KINDS: readonly string[] = ['pCreate', 'pEdit', 'pMove', 'pDelete', 'pTouch', 'pEditCopy', 'hCreate', 'hEdit', 'hDelete', 'fault:timeout-after-write', 'fault:precondition-failed', 'fault:server-error', 'fault:rate-limited', 'sync'];
export const commandKind = (cmd: Cmd): string => (cmd.k === 'fault' ? `fault:${cmd.fault}` : cmd.k);

/** What the model expects of one original event since the last sync. */
interface Expect {
  cal: number;
  live: boolean;
  title: string;
  hubTitle: string | null;
  provTitle: string | null;
  /** Moved at the provider since the last sync, to a start other than the one synced then. */
  provMoved: boolean;
  /** The start as of the last sync (JSON); null before the first. */
  start: string | null;
  hubDeleted: boolean;
  provDeleted: boolean;
}

class Run {
  readonly expect = new Map<string, Expect>();
  constructor(readonly env: ModelEnv) {}

  private async originals(c: number) {
    return (await this.env.driver.list(c)).filter((o) => !o.events[0]!.provenance && this.expect.has(o.events[0]!.uid));
  }

  private async copies(c: number) {
    return (await this.env.driver.list(c)).filter((o) => o.events[0]!.provenance);
  }

  private async hubOriginals(c: number) {
    return (await this.env.store.tenant(this.env.tenantId).events.list(this.env.calendars[c]!)).filter((r) => !r.event.provenance && this.expect.has(r.event.uid));
  }

  async apply(cmd: Cmd): Promise<void> {
    const { env } = this;
    if (cmd.k === 'sync') return this.sync();
    if (cmd.k === 'fault') return env.driver.fault?.(cmd.fault);
    if (cmd.k === 'pCreate' || cmd.k === 'hCreate') {
      const e = sampleEvent({ title: 'new' });
      this.expect.set(e.uid, { cal: cmd.cal, live: true, title: 'new', hubTitle: null, provTitle: null, provMoved: false, start: null, hubDeleted: false, provDeleted: false });
      if (cmd.k === 'pCreate') await env.driver.put(cmd.cal, null, [e]);
      else await env.writer.create(env.tenantId, env.calendars[cmd.cal]!, e);
      return;
    }
    if (cmd.k === 'pEditCopy') {
      const list = await this.copies(cmd.cal);
      const o = list[cmd.pick % Math.max(1, list.length)];
      if (o) await env.driver.put(cmd.cal, o.remoteId, o.events.map((e) => ({ ...e, title: 'edited copy' })));
      return;
    }
    if (cmd.k.startsWith('p')) {
      const list = await this.originals(cmd.cal);
      const o = list[(cmd as { pick: number }).pick % Math.max(1, list.length)];
      if (!o) return;
      const x = this.expect.get(o.events[0]!.uid)!;
      const pid = cmd.cal;
      if (cmd.k === 'pEdit') {
        await env.driver.put(pid, o.remoteId, o.events.map((e) => ({ ...e, title: cmd.title })));
        if (o.events[0]!.title !== cmd.title) x.provTitle = cmd.title;
      } else if (cmd.k === 'pMove') {
        const d = String(cmd.day).padStart(2, '0');
        const start = { dateTime: `2026-12-${d}T07:00:00Z`, timeZone: 'UTC' };
        await env.driver.put(pid, o.remoteId, o.events.map((e) => ({ ...e, start, end: { dateTime: `2026-12-${d}T07:30:00Z`, timeZone: 'UTC' } })));
        // Moved back to where the last sync left it is no change (the engine compares content, as for titles).
        x.provMoved = JSON.stringify(start) !== x.start;
      } else if (cmd.k === 'pDelete') {
        await env.driver.delete(pid, o.remoteId);
        x.provDeleted = true;
      } else if (cmd.k === 'pTouch') {
        await env.driver.put(pid, o.remoteId, o.events);
      }
      return;
    }
    const rows = await this.hubOriginals(cmd.cal);
    const r = rows[(cmd as { pick: number }).pick % Math.max(1, rows.length)];
    if (!r) return;
    const x = this.expect.get(r.event.uid)!;
    if (cmd.k === 'hEdit') {
      await env.writer.update(env.tenantId, r.id, { title: cmd.title });
      x.hubTitle = cmd.title;
    } else if (cmd.k === 'hDelete') {
      await env.writer.delete(env.tenantId, r.id);
      x.hubDeleted = true;
    }
  }

  /** Settles like the queue would: transient failures and rate limits are retried. */
  async settleWithRetries(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await settle(this.env.deps, this.env.tenantId, this.env.calendars, { maxRounds: 12 });
        return;
      } catch (e) {
        if (attempt < 12 && isHubError(e) && ['backoff', 'delay'].includes(e.retry)) continue;
        throw e;
      }
    }
  }

  async sync(): Promise<void> {
    this.env.driver.arm?.();
    try {
      await this.settleWithRetries();
    } finally {
      this.env.driver.disarm?.();
    }
    await this.check();
  }

  async check(): Promise<void> {
    const { env } = this;
    // Convergence: the store holds exactly what each provider calendar holds.
    for (let c = 0; c < env.calendars.length; c++) {
      const objects = await env.driver.list(c);
      const remote = groupByUid(objects.flatMap((o) => o.events));
      const local = groupByUid((await env.store.tenant(env.tenantId).events.list(env.calendars[c]!)).map((r) => r.event));
      assert.deepEqual(local, remote, `calendar ${c}: store and provider differ`);
      // No duplicates: one provider object per UID.
      const uids = objects.map((o) => o.events[0]!.uid);
      assert.equal(new Set(uids).size, uids.length, `calendar ${c}: duplicate objects for one UID`);
    }
    // Nothing dropped that a policy did not decide to drop.
    for (const [uid, x] of this.expect) {
      const present = (await env.driver.list(x.cal)).find((o) => o.events[0]!.uid === uid);
      const deleted = x.hubDeleted || x.provDeleted;
      const hubChanged = x.hubTitle !== null && x.hubTitle !== x.title;
      const provChanged = (x.provTitle !== null && x.provTitle !== x.title) || x.provMoved;
      const editedByOther = (x.hubDeleted && provChanged) || (x.provDeleted && hubChanged);
      const shouldLive = x.live && (!deleted || (editedByOther && !(x.hubDeleted && x.provDeleted)));
      assert.equal(Boolean(present), shouldLive, `event ${uid} ${shouldLive ? 'was lost' : 'should be deleted'} (${JSON.stringify(x)})`);
      if (present) {
        // A side that deleted contributes nothing; the surviving side's edit (or the base) stands.
        const fromHub = x.hubDeleted ? null : x.hubTitle;
        const fromProv = x.provDeleted ? null : x.provTitle;
        const candidates = [fromHub, fromProv].filter((t): t is string => t !== null);
        const actual = present.events[0]!.title!;
        assert.ok((candidates.length ? candidates : [x.title]).includes(actual), `event ${uid}: title "${actual}" is none of ${JSON.stringify(candidates)}`);
        x.title = actual;
      }
      x.live = Boolean(present);
      x.start = present ? JSON.stringify(present.events[0]!.start) : null;
      x.hubTitle = x.provTitle = null;
      x.hubDeleted = x.provDeleted = x.provMoved = false;
    }
    // Mirror rules: A -> C and B <-> C busy blocks; one copy per live busy original, all "Busy".
    const want = async (from: number) => (await this.originals(from)).filter((o) => o.events[0]!.availability !== 'free').length;
    assert.equal((await this.copies(2)).length, (await want(0)) + (await want(1)), 'calendar C holds the wrong number of copies');
    assert.equal((await this.copies(1)).length, await want(2), 'calendar B holds the wrong number of copies');
    assert.equal((await this.copies(0)).length, 0);
    for (const c of [1, 2]) for (const o of await this.copies(c)) assert.equal(o.events[0]!.title, 'Busy');
    // No echo writes: syncing a settled state writes nothing.
    const writes = env.driver.writes();
    await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), writes, 'a settled state caused provider writes (echo)');
  }
}

function groupByUid(events: CanonicalEvent[]): Record<string, string> {
  const by = new Map<string, CanonicalEvent[]>();
  for (const e of events) by.set(e.uid, [...(by.get(e.uid) ?? []), e]);
  return Object.fromEntries([...by].sort(([a], [b]) => a.localeCompare(b)).map(([uid, list]) => [uid, objectHash(list)]));
}

export async function memoryModelEnv(store: Store): Promise<ModelEnv> {
  const env = await memoryEnv({ calendars: 3, store });
  const b = env.backend;
  const driver: ProviderDriver = {
    list: async (c) => b.list(env.providerIds[c]!),
    put: async (c, remoteId, events) => void b.put(env.providerIds[c]!, remoteId, events),
    delete: async (c, remoteId) => void b.delete(env.providerIds[c]!, remoteId),
    writes: () => b.seq,
    fault: (f) => b.failNext(f),
  };
  return { ...env, driver };
}

export async function runModel(store: Store, cmds: Cmd[], makeEnv: (store: Store) => Promise<ModelEnv> = memoryModelEnv): Promise<number> {
  const env = await makeEnv(store);
  const t = store.tenant(env.tenantId);
  await t.mirror.create(env.calendars[0]!, env.calendars[2]!, { mode: 'busy-block' });
  await t.mirror.create(env.calendars[1]!, env.calendars[2]!, { mode: 'busy-block', twoWay: true });
  const run = new Run(env);
  for (const cmd of cmds) await run.apply(cmd);
  await run.sync();
  return cmds.length;
}
