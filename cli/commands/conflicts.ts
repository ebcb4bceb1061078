import { ValidationError } from '../../shared/errors.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { writeUid } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { directDeps } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';
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
  summary: 'Resolve a parked conflict: keep the hub side (written back to the provider) or the provider side',
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
      if (values.take === 'local') {
        await withEngine(rt, async (engine) => writeUid(engine?.deps ?? directDeps(rt), tenantId, c.calendarId, c.uid, c.local ?? []));
      }
      await syncRepo.conflictResolve(rt.store.db, tenantId, id, values.take);
      print(Boolean(values.json), { id, outcome: values.take }, () => `conflict ${id} resolved: ${values.take} side kept`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const calendarsUnflag: Command = {
  name: 'calendars unflag',
  usage: 'calhub calendars unflag <calendarId> --tenant <id>',
  summary: 'Clear the mass-change guard flag of a calendar after checking it, so its syncs resume',
  options: { tenant: { type: 'string' } },
  async run({ values, positionals }) {
    if (!values.tenant || !positionals[0]) throw new ValidationError('usage: calhub calendars unflag <calendarId> --tenant <id>');
    const rt = await openRuntime({ quiet: true });
    try {
      const ok = await rt.store.tenant(String(values.tenant)).sync.unflag(positionals[0]);
      if (!ok) throw new ValidationError(`no calendar ${positionals[0]} in tenant ${values.tenant}`);
      process.stdout.write(`calendar ${positionals[0]} unflagged\n`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
