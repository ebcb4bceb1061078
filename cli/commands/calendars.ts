import { ValidationError } from '../../shared/errors.ts';
import { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { print } from '../output.ts';
import { openRuntime } from '../runtime.ts';

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new ValidationError(`--${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
  return value as T;
}

export const calendarsPolicy: Command = {
  name: 'calendars policy',
  usage: `calhub calendars policy <calendarId> --tenant <id> [--conflict ${CONFLICT_POLICIES.join('|')}] [--delete ${DELETE_POLICIES.join('|')}] [--json]`,
  summary:
    'Show or set how a calendar settles conflicts: --conflict for both sides editing the same field (manual parks it for `calhub conflicts resolve`), --delete for a delete on one side against an edit on the other',
  options: { tenant: { type: 'string' }, conflict: { type: 'string' }, delete: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars policy <calendarId> --tenant <id> [--conflict <policy>] [--delete <policy>]');
    const conflictPolicy: ConflictPolicy | undefined = oneOf(values.conflict, CONFLICT_POLICIES, 'conflict');
    const deletePolicy: DeletePolicy | undefined = oneOf(values.delete, DELETE_POLICIES, 'delete');
    const rt = await openRuntime({ quiet: true });
    try {
      const sync = rt.store.tenant(String(values.tenant)).sync;
      if (!(await sync.settings(id))) throw new ValidationError(`no calendar ${id} in tenant ${values.tenant}`);
      if (conflictPolicy || deletePolicy) await sync.setPolicies(id, { conflictPolicy, deletePolicy });
      const s = (await sync.settings(id))!;
      const out = { id, conflictPolicy: s.conflictPolicy, deletePolicy: s.deletePolicy };
      print(Boolean(values.json), out, () => `calendar ${id}: conflicts ${s.conflictPolicy}, delete vs. edit ${s.deletePolicy}`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const calendarsUnflag: Command = {
  name: 'calendars unflag',
  usage: 'calhub calendars unflag <calendarId> --tenant <id> [--json]',
  summary: 'Clear the mass-change guard flag of a calendar after checking it, so its syncs resume',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars unflag <calendarId> --tenant <id>');
    const rt = await openRuntime({ quiet: true });
    try {
      const ok = await rt.store.tenant(String(values.tenant)).sync.unflag(id);
      if (!ok) throw new ValidationError(`no calendar ${id} in tenant ${values.tenant}`);
      print(Boolean(values.json), { id, flagged: null }, () => `calendar ${id} unflagged`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
