import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table, warnProblems } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

export const conflictsList: Command = {
  name: 'conflicts list',
  usage: 'calhub conflicts list --tenant <id> [--open] [--json]',
  summary: summaryOf('conflicts list'),
  options: { tenant: { type: 'string' }, open: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }) {
    if (!values.tenant) throw new ValidationError('missing --tenant');
    return withHub({}, async (hub) => {
      const list = await (await hubApi()).listConflicts(hub, String(values.tenant), { open: Boolean(values.open) });
      print(Boolean(values.json), list, () =>
        // HUB EDIT and PROVIDER EDIT: the two times latest-wins compares (`-`: not recorded or not given).
        table([
          ['CONFLICT', 'CALENDAR', 'UID', 'FIELDS', 'POLICY', 'OUTCOME', 'HUB EDIT', 'PROVIDER EDIT', 'RESOLVED'],
          ...list.map((c) => [c.id, c.calendarId, c.uid, c.fields.map(shownField).join(','), c.policy, c.outcome, c.localChangedAt ?? '-', c.remoteChangedAt ?? '-', c.resolvedAt ?? 'open']),
        ]),
      );
      return EXIT.OK;
    });
  },
};

export const conflictsResolve: Command = {
  name: 'conflicts resolve',
  usage:
    'calhub conflicts resolve <conflictId> [--tenant <id>] --take local|remote [--if-free] [--if-free-calendars <id,…>] [--if-free-accounts <id,…>] [--send-updates none|externalOnly|all] [--json]',
  summary: summaryOf('conflicts resolve'),
  options: {
    tenant: { type: 'string' }, take: { type: 'string' }, 'if-free': { type: 'boolean' }, 'if-free-calendars': { type: 'string' }, 'if-free-accounts': { type: 'string' },
    'send-updates': { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!id) throw new ValidationError('usage: calhub conflicts resolve <conflictId> [--tenant <id>] --take local|remote');
    const take = values.take;
    if (take !== 'local' && take !== 'remote') throw new ValidationError('--take must be local or remote');
    // As the API's ifFree, ifFreeCalendarIds, ifFreeAccountIds and sendUpdates (POST /v1/conflicts/:id/resolve).
    const ifFree = ifFreeOf(values['if-free'] === true, values['if-free-calendars'], values['if-free-accounts']);
    const { SEND_UPDATES } = await import('../../shared/model/index.ts');
    const sendUpdates = values['send-updates'];
    if (sendUpdates !== undefined && !(SEND_UPDATES as readonly unknown[]).includes(sendUpdates)) {
      throw new ValidationError(`--send-updates must be one of ${SEND_UPDATES.join(', ')} (got "${String(sendUpdates)}")`);
    }
    const opts = { ...(ifFree ? { ifFree } : {}), ...(sendUpdates !== undefined ? { sendUpdates: sendUpdates as (typeof SEND_UPDATES)[number] } : {}) };
    // Without a worker the hub's side is written to the provider here and now.
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const api = await hubApi();
      // Without --tenant, the conflict's own (ids are unique); with one, another tenant's conflict is not found.
      const tenantId = values.tenant ? String(values.tenant) : await api.conflictTenant(hub, id);
      const { conflict: c, problems } = await api.resolveConflict(hub, tenantId, id, take, opts);
      warnProblems('conflicts resolve', problems);
      print(Boolean(values.json), { id, outcome: take, calendarId: c.calendarId, uid: c.uid, problems }, () => `conflict ${id} resolved: ${take} side kept`);
      return EXIT.OK;
    });
  },
};

/** The slot check the flags ask for: a list of ids implies --if-free; a list naming no id is a mistake, not "no check". */
function ifFreeOf(asked: boolean, calendars: unknown, accounts: unknown): { calendarIds: string[]; accountIds: string[] } | undefined {
  const idsOf = (v: unknown, flag: string, what: string): string[] => {
    if (v === undefined) return [];
    const list = String(v).split(',').map((x) => x.trim()).filter(Boolean);
    if (list.length === 0) throw new ValidationError(`--${flag} names no ${what} id; leave it out, or use --if-free for the event's own calendar alone`);
    return list;
  };
  const calendarIds = idsOf(calendars, 'if-free-calendars', 'calendar');
  const accountIds = idsOf(accounts, 'if-free-accounts', 'account');
  return asked || calendarIds.length || accountIds.length ? { calendarIds, accountIds } : undefined;
}

/** A conflicting field as `key:field` names it: the series or single event's own (key '') by its name alone. */
function shownField(f: string): string {
  return f.startsWith(':') ? f.slice(1) : f;
}
