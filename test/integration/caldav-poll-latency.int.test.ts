/**
 * How soon a change on a CalDAV server (which has no push) reaches its mirror copies: within one
 * SYNC_POLL_INTERVAL_MS and the runs' own time. A user moved an event in Radicale and its busy
 * blocks in Google moved 114 s later at a 60 s interval: a busy block pushed into the Radicale
 * calendar a moment after the change counted as its poll (any successful run did), so its next
 * slot was skipped, and the poll then waited for the next maintenance tick (up to half an interval).
 * The whole worker (`calhub worker`'s sync engine and maintenance) runs against Radicale and the
 * Google emulator; the poll interval is set as a deployment sets it, SYNC_POLL_INTERVAL_MS.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { pollPhaseMs } from '../../shared/store/sync-repo.ts';
import { settle } from '../../sync-engine/index.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { mixedModelEnv } from '../support/mixed-model-env.ts';

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVERY = 30_000;
/** Room for the pull, the rule's run and the push on a loaded machine (2 cores shared). */
const MARGIN = 12_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a CalDAV change reaches its mirror copy within one poll interval', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let dav: DavServer;
  let hub: Hub;
  let env: ModelEnv;
  let dataDir: string;
  const logs: Array<{ time: number; msg: string; job?: string; calendarId?: string; ruleId?: string; ms?: number }> = [];
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    dav = await startRadicale();
    env = await mixedModelEnv({ dav, google, graph: ms }, store);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calhub-latency-'));
    const config = loadConfig({ REDIS_URL: REDIS, REDIS_PREFIX: `{calhub-test-${randomBytes(4).toString('hex')}}`, CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'info', SYNC_POLL_INTERVAL_MS: String(EVERY) });
    const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(JSON.parse(String(chunk))), cb()) });
    hub = await openHub({ config, store, connect: env.deps.connect, logger: createLogger({ level: 'info', destination }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`), queue: 'required' });
  });
  after(async () => {
    await hub?.engine?.queue.obliterate({ force: true }).catch(() => undefined);
    await hub?.close();
    await store?.close();
    await google?.close();
    await ms?.close();
    await dav?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a move in Radicale, with a busy block pushed into Radicale a moment later, is copied to Google within one interval', async () => {
    const [davCal, gCal] = env.calendars as [string, string, string];
    const t = store.tenant(env.tenantId);
    const ev = sampleEvent({ title: 'Dentist', start: { dateTime: '2026-12-18T07:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-18T08:00:00Z', timeZone: 'UTC' } });
    await env.driver.put(0, null, [ev]);
    await env.driver.put(1, null, [sampleEvent({ title: 'Client', start: { dateTime: '2026-12-15T13:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-15T14:00:00Z', timeZone: 'UTC' } })]);
    assert.ok(await t.mirror.create(davCal, gCal, { mode: 'busy-block', twoWay: true }));
    await settle(env.deps, env.tenantId, [davCal, gCal]);
    const copyAt = async (hour: string) => (await env.driver.list(1)).some((o) => o.events.some((e) => e.title !== 'Client' && ('dateTime' in e.start ? e.start.dateTime : '').startsWith(`2026-12-18T${hour}`)));
    assert.ok(await copyAt('07:00'), 'the busy block of the Radicale event is in Google');
    await hub.startWorkers();

    // The change lands just past the middle between two of the Radicale calendar's poll slots: the
    // busy block pushed into Radicale right after it is the moment that used to count as its poll.
    const phase = pollPhaseMs(davCal, EVERY);
    const sinceSlot = (Date.now() - phase) % EVERY;
    await sleep((EVERY / 2 + 1_000 - sinceSlot + EVERY) % EVERY);
    const changedAt = Date.now();
    const [obj] = (await env.driver.list(0)).filter((o) => o.events.some((e) => e.title === 'Dentist'));
    await env.driver.put(0, obj!.remoteId, obj!.events.map((e) => ({ ...e, start: { dateTime: '2026-12-18T12:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-18T13:00:00Z', timeZone: 'UTC' } })));
    // A change in Google whose busy block goes to Radicale, as a push notification would pull it.
    await env.driver.put(1, null, [sampleEvent({ title: 'Review', start: { dateTime: '2026-12-16T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-16T11:00:00Z', timeZone: 'UTC' } })]);
    await hub.requestPull(env.tenantId, gCal);

    const bound = EVERY + MARGIN;
    let tookMs = -1;
    while (Date.now() - changedAt < bound + 30_000) {
      if (await copyAt('12:00')) {
        tookMs = Date.now() - changedAt;
        break;
      }
      await sleep(250);
    }
    const runs = logs.filter((l) => l.msg === 'sync run finished' && l.time >= changedAt).map((l) => `+${((l.time - changedAt) / 1000).toFixed(1)}s ${l.job} ${l.calendarId === davCal ? 'radicale' : l.calendarId === gCal ? 'google' : (l.calendarId ?? 'rule')} (${l.ms} ms)`);
    console.log(`copy moved in Google after ${tookMs} ms (interval ${EVERY} ms); runs since the change:\n  ${runs.join('\n  ')}`);
    assert.ok(tookMs >= 0 && tookMs <= bound, `the copy moved after ${tookMs} ms (-1: not within ${bound + 30_000} ms), more than one interval (${EVERY} ms) and ${MARGIN} ms`);
  });
});
