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
      print(Boolean(values.json), runs, () => table([['RUN', 'WRITES', 'FIRST', 'LAST'], ...runs.map((r) => [r.runId, String(r.writes), r.firstAt, r.lastAt])]));
      return EXIT.OK;
    });
  },
};

export const runsRevert: Command = {
  name: 'runs revert',
  usage: 'calhub runs revert <runId> --tenant <id> [--json]',
  summary: summaryOf('runs revert'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const runId = positionals[0];
    if (!values.tenant || !runId) throw new ValidationError('usage: calhub runs revert <runId> --tenant <id>');
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const n = await (await hubApi()).revertRun(hub, String(values.tenant), runId);
      print(Boolean(values.json), { runId, events: n }, () => `${n} event${n === 1 ? '' : 's'} queued to go back to ${n === 1 ? 'its' : 'their'} state before run ${runId}`);
      return EXIT.OK;
    });
  },
};
