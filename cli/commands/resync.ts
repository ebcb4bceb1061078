import type { CalendarProgressView, DryRunReport, ResyncReport, ResyncTarget } from '../../hub/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { onRunningHub, refuseOtherSettings as refuseOther } from '../operations-client.ts';
import { print, table } from '../output.ts';
import { ProgressView } from '../progress.ts';
import { summaryOf } from './summaries.ts';

function targetOf(values: Record<string, string | boolean | undefined>, positionals: string[]): ResyncTarget {
  const given = [positionals[0] !== undefined, values.tenant !== undefined, values.all === true].filter(Boolean).length;
  if (given !== 1) throw new ValidationError('name exactly one of: an account id, --tenant <id>, --all');
  if (positionals[0]) return { accountId: positionals[0] };
  if (values.tenant) return { tenantId: String(values.tenant) };
  return { all: true };
}

function planTable(r: DryRunReport): string {
  const rows: string[][] = [['CALENDAR', 'NAME', 'SIDE', 'OP', 'UID', 'TITLE', 'DETAIL']];
  for (const c of r.calendars) {
    if (c.flagged) rows.push([c.calendarId, c.name, '-', 'flagged', '', '', `stopped by the mass-change guard (${c.flagged}); the rows below are the sync after \`calhub calendars unflag\``]);
    if (c.error) rows.push([c.calendarId, c.name, '-', 'error', '', '', c.error]);
    else if (c.guard) rows.push([c.calendarId, c.name, '-', 'stop', '', '', `the mass-change guard would stop this run: ${c.guard}`]);
    for (const i of [...c.pull, ...c.push]) rows.push([c.calendarId, c.name, i.side, i.op, i.uid ?? i.remoteId ?? '', i.title ?? '', i.detail ?? '']);
    if (!c.error && c.pull.length + c.push.length === 0) rows.push([c.calendarId, c.name, '-', 'none', '', '', 'in sync']);
  }
  const counts = r.calendars.reduce((n, c) => n + c.pull.length + c.push.length, 0);
  return `${table(rows)}\n\n${counts} change(s) planned over ${r.calendars.length} calendar(s); nothing was written (hub side: the store; provider side: the provider)`;
}

/** What reading the account's calendar list again found (hub/accounts/refresh-calendars.ts); a missing calendar is its own row's problem. */
function listNotes(r: ResyncReport): string[] {
  const l = r.calendarList;
  if (!l) return [];
  if ('error' in l) return [`warning: could not read the calendar list (known calendars synced): ${l.error}`];
  return [
    ...l.added.map((c) => `calendar "${c.name}" (${c.id}) is new at the provider; syncing it`),
    ...l.removed.map((c) => `calendar "${c.name}" (${c.id}) removed: the provider no longer lists it`),
    ...(l.guarded ? [`warning: calendar list not trusted, nothing marked missing: ${l.guarded}`] : []),
  ];
}

/** A hub of this data dir that declined for its settings (operations-client.ts). */
const refuseOtherSettings = refuseOther('a resync');

export const resync: Command = {
  name: 'resync',
  usage: 'calhub resync <accountId> | --tenant <id> | --all [--full] [--dry-run] [--wait] [--json]',
  summary: summaryOf('resync'),
  options: { tenant: { type: 'string' }, all: { type: 'boolean' }, full: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const target = targetOf(values, positionals);
    const full = Boolean(values.full);
    if (values['dry-run']) {
      if (values.wait) throw new ValidationError('--dry-run runs nothing to wait for; drop --wait');
      // A running hub plans with its own provider settings (the sandbox's emulators); else this process does.
      const report =
        (await onRunningHub<DryRunReport>('resync', { target, full, dryRun: true }, undefined, refuseOtherSettings)) ??
        (await (async () => {
          const [{ withHub }, { planResync }] = await Promise.all([import('../with-hub.ts'), import('../../hub/index.ts')]);
          return withHub({ queue: 'none' }, (hub) => planResync(hub, target, { full }));
        })());
      print(Boolean(values.json), report, () => planTable(report));
      return report.ok ? EXIT.OK : EXIT.FAILED;
    }
    const opts = { full, wait: Boolean(values.wait) };
    let view: ProgressView | null = null;
    const progress = (rows: CalendarProgressView[]) => (view ??= new ProgressView()).update(rows);
    // A running hub of this data dir does the work (cli/operations.ts); else this process does.
    const reports =
      (await onRunningHub<ResyncReport[]>('resync', { target, ...opts }, progress, refuseOtherSettings)) ??
      (await (async () => {
        const [{ withHub }, { runResync }] = await Promise.all([import('../with-hub.ts'), import('../resync-run.ts')]);
        // Waiting on a worker: woken by its writes (on PostgreSQL) rather than a 100 ms poll.
        return withHub({ queue: 'if-worker', hearChanges: opts.wait }, (hub) => runResync(hub, target, opts, progress));
      })());
    for (const r of reports) for (const line of listNotes(r)) process.stderr.write(`calhub resync: account ${r.accountId}: ${line}\n`);
    // A flagged calendar was not queued, waited for or not: said as a failure is, with its code and the way out.
    const failed = reports.flatMap((r) => r.calendars.filter((c) => c.outcome === 'flagged' || (r.waited && c.error)));
    for (const r of failed) process.stderr.write(`calhub resync: calendar "${r.name}" (${r.id}): ${r.error}\n`);
    // Items set aside while the rest synced: a warning, not a failure of the calendar.
    for (const r of reports.flatMap((rep) => (rep.waited ? rep.calendars.filter((c) => c.quarantine || c.truncated || c.fallbacks) : []))) {
      for (const note of [r.quarantine, r.truncated, r.fallbacks]) if (note) process.stderr.write(`calhub resync: calendar "${r.name}" (${r.id}): warning: ${note}\n`);
    }
    const ok = reports.every((r) => r.ok);
    // One account: its report, as before; several: one document listing them.
    const data = 'accountId' in target ? reports[0] : { ok, accounts: reports };
    print(Boolean(values.json), data, () =>
      table([
        ['ACCOUNT', 'CALENDAR', 'NAME', 'OUTCOME', 'EVENTS', 'QUARANTINED', 'FAILED WRITES', 'ERROR'],
        // A mirror rule's other calendar (another account's) syncs with the account's own: named so.
        ...reports.flatMap((rep) => rep.calendars.map((r) => [r.accountId, r.id, r.accountId === rep.accountId ? r.name : `${r.name} (other side of a mirror rule)`, r.outcome, String(r.events), String(r.quarantined), String(r.failedWrites), r.error ?? r.quarantine ?? ''])),
      ]),
    );
    return ok ? EXIT.OK : EXIT.FAILED;
  },
};
