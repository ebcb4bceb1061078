import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

export const runsList: Command = {
  name: 'runs list',
  usage: 'calhub runs list --tenant <id> [--json]',
  summary: summaryOf('runs list'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    if (!values.tenant) throw new ValidationError('missing --tenant');
    return withHub({}, async (hub) => {
      const runs = await (await hubApi()).listRuns(hub, String(values.tenant));
      const calendars = (r: (typeof runs)[number]) => r.calendars.map((c) => (c.name === null ? `${c.id} (removed)` : `${c.name} (${c.id})`)).join(', ');
      const rows = runs.map((r) => [r.runId, String(r.writes), String(r.created), String(r.updated), String(r.deleted), r.firstAt, r.lastAt, calendars(r)]);
      print(Boolean(values.json), runs, () => table([['RUN', 'WRITES', 'CREATED', 'UPDATED', 'DELETED', 'FIRST', 'LAST', 'CALENDARS'], ...rows]));
      return EXIT.OK;
    });
  },
};

const REASONS: Record<string, string> = {
  'changed-since': 'changed since the run',
  'deleted-since': 'deleted since the run',
  'recreated-since': 'exists again since the run deleted it',
  'occurrences-changed-since': 'occurrences of the series changed since the run',
  quarantined: 'not put back: its item at the provider is quarantined (unreadable)',
};

type Report = Awaited<ReturnType<Awaited<ReturnType<typeof hubApi>>['revertRun']>>;

/** What a revert queued and what it left as it is, event by event, for an operator. */
export function revertText(r: Report): string {
  const what = (e: Pick<Report['queued'][number], 'calendarId' | 'uid' | 'title' | 'occurrence'>) =>
    `${r.calendars[e.calendarId] ?? e.calendarId}: "${e.title ?? ''}" (${e.uid}${e.occurrence ? ` at ${e.occurrence}` : ''})`;
  const n = r.queued.length;
  const lines = [
    n
      ? `run ${r.runId}: ${n} change${n === 1 ? '' : 's'} queued to undo what the run wrote`
      : `run ${r.runId}: nothing to revert, nothing queued${r.alreadyUndone ? ` (${r.alreadyUndone} event${r.alreadyUndone === 1 ? ' is' : 's are'} already as before the run)` : ''}`,
    ...r.queued.map((q) => `  ${q.action === 'update' ? `put back ${q.fields.join(', ')} of` : q.action === 'delete' ? 'delete the run\'s new event' : 'recreate the deleted event'} ${what(q)}`),
  ];
  if (r.skipped.length) {
    lines.push(`${r.skipped.length} left as ${r.skipped.length === 1 ? 'it is' : 'they are'} now:`);
    const kept = (s: Report['skipped'][number]) => (s.keptWith.length ? ` (${s.keptWith.join(', ')} kept with ${s.fields.length === 1 ? 'it' : 'them'}: start and end go back together)` : '');
    lines.push(...r.skipped.map((s) => `  ${what(s)}: ${s.fields.length ? `${s.fields.join(', ')} ` : ''}${REASONS[s.reason] ?? s.reason}${kept(s)}`));
  }
  return lines.join('\n');
}

export const runsRevert: Command = {
  name: 'runs revert',
  usage: 'calhub runs revert <runId> --tenant <id> [--json]',
  summary: summaryOf('runs revert'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const runId = positionals[0];
    if (!values.tenant || !runId) throw new ValidationError('usage: calhub runs revert <runId> --tenant <id>');
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const report = await (await hubApi()).revertRun(hub, String(values.tenant), runId);
      print(Boolean(values.json), report, () => revertText(report));
      return EXIT.OK;
    });
  },
};
