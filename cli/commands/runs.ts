import { ValidationError } from '../../shared/errors.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { revertRun } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { directDeps } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import { withEngine } from '../with-engine.ts';

export const runsList: Command = {
  name: 'runs list',
  usage: 'calhub runs list --tenant <id> [--json]',
  summary: 'Sync runs that wrote to providers (the write journal), newest first',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    if (!values.tenant) throw new ValidationError('missing --tenant');
    const rt = await openRuntime({ quiet: true });
    try {
      const runs = await syncRepo.journalRuns(rt.store.db, String(values.tenant));
      print(Boolean(values.json), runs, () => table([['RUN', 'WRITES', 'FIRST', 'LAST'], ...runs.map((r) => [r.runId, String(r.writes), r.firstAt, r.lastAt])]));
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const runsRevert: Command = {
  name: 'runs revert',
  usage: 'calhub runs revert <runId> --tenant <id> [--json]',
  summary: 'Undo every provider write of a run: each event goes back to its state before the run (through the outbox)',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const runId = positionals[0];
    if (!values.tenant || !runId) throw new ValidationError('usage: calhub runs revert <runId> --tenant <id>');
    const rt = await openRuntime({ quiet: true });
    try {
      const n = await withEngine(rt, async (engine) => revertRun(engine?.deps ?? directDeps(rt), String(values.tenant), runId));
      if (n === 0) throw new ValidationError(`run ${runId} made no provider writes in tenant ${values.tenant}`);
      print(Boolean(values.json), { runId, events: n }, () => `${n} events queued to go back to their state before run ${runId}`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
