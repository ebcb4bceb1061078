import { ValidationError } from '../../shared/errors.ts';
import { syncRepo } from '../../shared/store/index.ts';
import type { Command } from '../command.ts';
import { calendarHealth } from '../calendar-health.ts';
import { openEngine } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { connectRedis, openRuntime, redisUrlFor, type Runtime } from '../runtime.ts';
import { syncInProcess } from '../sync-in-process.ts';
import { waitForQuiet } from '../wait-quiet.ts';

export const resync: Command = {
  name: 'resync',
  usage: 'calhub resync <accountId> [--full] [--wait] [--json]',
  summary:
    "Sync an account's calendars now (through the queue when a worker runs, else in this process); --full lists every item instead of asking for changes; --wait returns when the syncs and the writes they trigger are done. Exits 1 if a sync or a write failed",
  options: { full: { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const accountId = positionals[0];
    if (!accountId) throw new ValidationError('resync needs an account id: calhub resync <accountId>');
    const rt = await openRuntime({ quiet: true });
    try {
      const tenantId = await syncRepo.accountTenant(rt.store.db, accountId);
      if (!tenantId) throw new ValidationError(`no account ${accountId}`);
      const own = (await rt.store.tenant(tenantId).calendars.list({ accountId })).map((c) => c.id);
      // Mirror copies this sync triggers are written to the rules' other calendars: they are part of the run.
      const rules = (await rt.store.tenant(tenantId).mirror.list()).filter((r) => own.includes(r.sourceCalendarId) || own.includes(r.targetCalendarId));
      const cals = [...new Set([...own, ...rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId])])];
      const full = Boolean(values.full);
      const wait = Boolean(values.wait);

      let runErrors = new Map<string, string>();
      let fullListings: string[] | null = null;
      const queued = await throughQueue(rt, tenantId, cals, rules, { full, wait });
      if (queued) runErrors = queued;
      else ({ errors: runErrors, fullListings } = await syncInProcess(rt, tenantId, cals, { full }));
      const mode = queued ? 'queue' : 'in-process';
      const waited = mode === 'in-process' || wait;

      const t = rt.store.tenant(tenantId);
      const report = await Promise.all(
        (await calendarHealth(rt, tenantId, cals)).map(async (h) => {
          const error = runErrors.get(h.id) ?? h.error;
          return {
            ...h,
            accountId: own.includes(h.id) ? accountId : (await t.calendars.get(h.id))!.accountId,
            outcome: !waited ? 'queued' : error ? 'failed' : 'ok',
            error,
            events: (await t.events.list(h.id)).length,
            quarantined: (await t.events.quarantined(h.id)).length,
            fullListing: fullListings ? fullListings.includes(h.id) : null,
          };
        }),
      );
      const failed = waited ? report.filter((r) => r.error) : [];
      for (const r of failed) process.stderr.write(`calhub resync: calendar "${r.name}" (${r.id}): ${r.error}\n`);
      print(Boolean(values.json), { accountId, mode, waited, full, ok: failed.length === 0, calendars: report }, () =>
        table([['CALENDAR', 'NAME', 'OUTCOME', 'EVENTS', 'QUARANTINED', 'FAILED WRITES', 'ERROR'], ...report.map((r) => [r.id, r.name, r.outcome, String(r.events), String(r.quarantined), String(r.failedWrites), r.error ?? ''])]),
      );
      return failed.length ? 1 : 0;
    } finally {
      await rt.close();
    }
  },
};

/** Enqueues the pulls when a worker listens (and waits if asked); null when the work must happen here. */
async function throughQueue(
  rt: Runtime,
  tenantId: string,
  cals: string[],
  rules: Array<{ id: string; targetCalendarId: string }>,
  opts: { full: boolean; wait: boolean },
): Promise<Map<string, string> | null> {
  let url: string;
  try {
    url = redisUrlFor(rt.config);
  } catch {
    return null;
  }
  const redis = connectRedis(url);
  const engine = openEngine(rt, redis);
  try {
    if ((await engine.queue.getWorkersCount()) === 0) return null;
    const since = (await rt.store.db.query<{ now: Date }>('SELECT clock_timestamp() AS now'))[0]!.now;
    for (const id of cals) await engine.requestPull(tenantId, id, { full: opts.full });
    return opts.wait ? await waitForQuiet(rt, engine.queue, tenantId, cals, rules, since) : new Map();
  } finally {
    await engine.close();
    redis.disconnect();
  }
}
