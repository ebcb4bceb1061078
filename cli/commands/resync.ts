import { ValidationError } from '../../shared/errors.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { settle, type SyncEngine } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { directDeps, openEngine } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { connectRedis, openRuntime, redisUrlFor, type Runtime } from '../runtime.ts';

export const resync: Command = {
  name: 'resync',
  usage: 'calhub resync <accountId> [--full] [--wait] [--json]',
  summary: "Sync an account's calendars now (through the queue when a worker runs, else in this process); --wait returns when the syncs and the writes they trigger are done",
  options: { full: { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const accountId = positionals[0];
    if (!accountId) throw new ValidationError('resync needs an account id: calhub resync <accountId>');
    const rt = await openRuntime({ quiet: true });
    try {
      const tenantId = await syncRepo.accountTenant(rt.store.db, accountId);
      if (!tenantId) throw new ValidationError(`no account ${accountId}`);
      const cals = (await rt.store.tenant(tenantId).calendars.list({ accountId })).map((c) => c.id);
      const full = Boolean(values.full);
      let mode: 'queue' | 'in-process' = 'in-process';
      let redisUrl: string | null = null;
      try {
        redisUrl = redisUrlFor(rt.config);
      } catch {
        redisUrl = null;
      }
      if (redisUrl) {
        const redis = connectRedis(redisUrl);
        const engine = openEngine(rt, redis);
        try {
          if ((await engine.queue.getWorkersCount()) > 0) {
            mode = 'queue';
            for (const id of cals) await engine.requestPull(tenantId, id, { full });
            if (values.wait) await waitForQuiet(rt, engine.queue, tenantId, cals);
          }
        } finally {
          await engine.close();
          redis.disconnect();
        }
      }
      if (mode === 'in-process') {
        await settle(directDeps(rt), tenantId, cals, { full }).catch(() => undefined); // the calendars record the failure
      }
      const report = await Promise.all(
        cals.map(async (id) => {
          const c = (await rt.store.tenant(tenantId).calendars.get(id))!;
          const s = (await rt.store.tenant(tenantId).sync.settings(id))!;
          const events = (await rt.store.tenant(tenantId).events.list(id)).length;
          const quarantined = (await rt.store.tenant(tenantId).events.quarantined(id)).length;
          return { id, name: c.name, stage: c.syncStage, lastError: c.lastError, flagged: s.flaggedReason, events, quarantined };
        }),
      );
      const failed = report.filter((r) => r.stage === 'failed' || r.flagged);
      print(Boolean(values.json), { accountId, mode, waited: mode === 'in-process' || Boolean(values.wait), calendars: report }, () =>
        table([['CALENDAR', 'NAME', 'STAGE', 'EVENTS', 'QUARANTINED', 'ERROR'], ...report.map((r) => [r.id, r.name, r.stage, String(r.events), String(r.quarantined), r.flagged ?? r.lastError ?? ''])]),
      );
      return failed.length ? 1 : 0;
    } finally {
      await rt.close();
    }
  },
};

/** Until no job of these calendars is pending or running and their outboxes are empty. */
async function waitForQuiet(rt: Runtime, queue: SyncEngine['queue'], tenantId: string, cals: string[]): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  await new Promise((r) => setTimeout(r, 300));
  while (Date.now() < deadline) {
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized'])).filter((j) => j && cals.includes(j.data.calendarId ?? ''));
    const outbox = await rt.store.db.query('SELECT 1 FROM outbox WHERE calendar_id = ANY($1) AND last_error IS NULL LIMIT 1', [cals]);
    const running = (await rt.store.tenant(tenantId).calendars.list({ ids: cals })).some((c) => c.syncStage === 'running');
    if (jobs.length === 0 && outbox.length === 0 && !running) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('resync --wait gave up after 30 minutes');
}
