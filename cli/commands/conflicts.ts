import { ValidationError } from '../../shared/errors.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { writeUid } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { directDeps } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import { syncFollowUp, warnProblems, type Problem } from '../sync-in-process.ts';
import { withEngine } from '../with-engine.ts';

export const conflictsList: Command = {
  name: 'conflicts list',
  usage: 'calhub conflicts list --tenant <id> [--open] [--json]',
  summary: 'List recorded conflicts (base, both sides, outcome); --open shows only parked ones',
  options: { tenant: { type: 'string' }, open: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }) {
    if (!values.tenant) throw new ValidationError('missing --tenant');
    const rt = await openRuntime({ quiet: true });
    try {
      const list = await syncRepo.conflictsList(rt.store.db, String(values.tenant), { unresolvedOnly: Boolean(values.open) });
      print(Boolean(values.json), list, () =>
        table([['CONFLICT', 'CALENDAR', 'UID', 'FIELDS', 'POLICY', 'OUTCOME', 'RESOLVED'], ...list.map((c) => [c.id, c.calendarId, c.uid, c.fields.join(','), c.policy, c.outcome, c.resolvedAt ?? 'open'])]),
      );
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const conflictsResolve: Command = {
  name: 'conflicts resolve',
  usage: 'calhub conflicts resolve <conflictId> --tenant <id> --take local|remote [--json]',
  summary: 'Resolve a parked conflict (see conflicts list --open): --take local writes the hub side back to the provider, --take remote keeps what the provider holds',
  options: { tenant: { type: 'string' }, take: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = values.tenant ? String(values.tenant) : '';
    const id = positionals[0];
    if (!tenantId || !id) throw new ValidationError('usage: calhub conflicts resolve <conflictId> --tenant <id> --take local|remote');
    if (values.take !== 'local' && values.take !== 'remote') throw new ValidationError('--take must be local or remote');
    const rt = await openRuntime({ quiet: true });
    try {
      const c = await syncRepo.conflictGet(rt.store.db, tenantId, id);
      if (!c) throw new ValidationError(`no conflict ${id} in tenant ${tenantId}`);
      if (c.resolvedAt) throw new ValidationError(`conflict ${id} was already resolved (${c.outcome})`);
      let problems: Problem[] = [];
      if (values.take === 'local') {
        // The hub's side goes back to the provider; without a worker it is written here and now.
        problems = await withEngine(rt, async (engine) => {
          await writeUid(engine?.deps ?? directDeps(rt), tenantId, c.calendarId, c.uid, c.local ?? []);
          return engine ? [] : syncFollowUp(rt, tenantId, [c.calendarId]);
        });
      }
      await syncRepo.conflictResolve(rt.store.db, tenantId, id, values.take);
      warnProblems('conflicts resolve', problems);
      print(Boolean(values.json), { id, outcome: values.take, calendarId: c.calendarId, uid: c.uid, problems }, () => `conflict ${id} resolved: ${values.take} side kept`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
