import { ValidationError } from '../../shared/errors.ts';
import { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../../shared/policies.ts';
import type { Command } from '../command.ts';
import type { PendingWrite } from '../../hub/index.ts';
import { EXIT } from '../exit-codes.ts';
import { print, quoted, table } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new ValidationError(`--${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
  return value as T;
}

export const calendarsCreate: Command = {
  name: 'calendars create',
  usage: 'calhub calendars create <accountId> <name> --tenant <id> [--time-zone <zone>] [--json]',
  summary: summaryOf('calendars create'),
  options: { tenant: { type: 'string' }, 'time-zone': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [accountId, name] = positionals;
    if (!values.tenant || !accountId || !name) throw new ValidationError('usage: calhub calendars create <accountId> <name> --tenant <id> [--time-zone <zone>]');
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const cal = api.publicCalendar(await api.createCalendar(hub, String(values.tenant), accountId, { name, timeZone: values['time-zone'] === undefined ? null : String(values['time-zone']) }));
      print(Boolean(values.json), cal, () => `calendar ${cal.id} "${cal.name}" (${cal.timeZone}) created at the provider as ${cal.providerCalendarId}; its first sync is queued`);
      return EXIT.OK;
    });
  },
};

export const calendarsDelete: Command = {
  name: 'calendars delete',
  usage: 'calhub calendars delete <calendarId> --tenant <id> --yes [--json]',
  summary: summaryOf('calendars delete'),
  options: { tenant: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars delete <calendarId> --tenant <id> --yes');
    // It deletes the user's calendar and every event in it at the provider: not on a typo.
    if (!values.yes) throw new ValidationError(`this deletes calendar ${id} and its events at the provider, not only in calhub; run it again with --yes`);
    return withHub({}, async (hub) => {
      const r = await (await hubApi()).deleteCalendar(hub, String(values.tenant), id);
      const rules = r.mirrorRulesRemoved ? `; ${r.mirrorRulesRemoved} mirror rule(s) naming it removed, with their copies` : '';
      print(Boolean(values.json), r, () => (r.deletedAtProvider ? `calendar ${id} deleted at the provider and in calhub${rules}` : `calendar ${id} was already gone at the provider; removed from calhub${rules}`));
      return EXIT.OK;
    });
  },
};

export const calendarsRename: Command = {
  name: 'calendars rename',
  usage: 'calhub calendars rename <calendarId> <name> --tenant <id> [--json]',
  summary: summaryOf('calendars rename'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [id, name] = positionals;
    if (!values.tenant || !id || !name) throw new ValidationError('usage: calhub calendars rename <calendarId> <name> --tenant <id>');
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const cal = api.publicCalendar(await api.renameCalendar(hub, String(values.tenant), id, name));
      const asked = name.trim();
      // A Google user's own label (summaryOverride) is left alone and keeps showing: say so, with both names.
      print(Boolean(values.json), { ...cal, nameAtProvider: asked }, () =>
        cal.name === asked
          ? `calendar ${id} renamed ${quoted(asked)} at the provider and in calhub`
          : `calendar ${id} renamed ${quoted(asked)} at the provider; the user's own label ${quoted(cal.name)} keeps showing there and in calhub`);
      return EXIT.OK;
    });
  },
};

export const calendarsBusy: Command = {
  name: 'calendars busy',
  usage: 'calhub calendars busy <calendarId> counts|ignored|default --tenant <id> [--json]',
  summary: summaryOf('calendars busy'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [id, choice] = positionals;
    const counts = new Map<string, boolean | null>([['counts', true], ['ignored', false], ['default', null]]).get(choice ?? '');
    if (!values.tenant || !id || counts === undefined) throw new ValidationError('usage: calhub calendars busy <calendarId> counts|ignored|default --tenant <id>');
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const cal = api.publicCalendar(await api.setCountsForBusy(hub, String(values.tenant), id, counts));
      print(Boolean(values.json), cal, () => `calendar ${id} "${cal.name}": ${cal.countsForBusy ? 'counts' : 'does not count'} when free/busy names its account${cal.countsForBusyChosen ? '' : ' (the default for its access)'}`);
      return EXIT.OK;
    });
  },
};

export const calendarsZone: Command = {
  name: 'calendars zone',
  usage: 'calhub calendars zone <calendarId> <zone>|default --tenant <id> [--json]',
  summary: summaryOf('calendars zone'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [id, choice] = positionals;
    if (!values.tenant || !id || !choice) throw new ValidationError('usage: calhub calendars zone <calendarId> <zone>|default --tenant <id>');
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const cal = api.publicCalendar(await api.setCalendarZone(hub, String(values.tenant), id, choice === 'default' ? null : choice));
      print(Boolean(values.json), cal, () =>
        cal.timeZoneChosen
          ? `calendar ${id} "${cal.name}": all-day and floating times are read in ${cal.timeZone} (chosen; the provider's zone is ${cal.providerTimeZone}, left unchanged there)`
          : `calendar ${id} "${cal.name}": all-day and floating times are read in the provider's zone, ${cal.timeZone}`,
      );
      return EXIT.OK;
    });
  },
};

export const calendarsSync: Command = {
  name: 'calendars sync',
  usage: 'calhub calendars sync <calendarId> on|off --tenant <id> [--drop-parked-deletes] [--json]',
  summary: summaryOf('calendars sync'),
  options: { tenant: { type: 'string' }, 'drop-parked-deletes': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [id, choice] = positionals;
    const enabled = new Map<string, boolean>([['on', true], ['off', false]]).get(choice ?? '');
    if (!values.tenant || !id || enabled === undefined) throw new ValidationError('usage: calhub calendars sync <calendarId> on|off --tenant <id> [--drop-parked-deletes]');
    const dropParkedDeletes = values['drop-parked-deletes'] === true;
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const cal = api.publicCalendar(await api.setCalendarSync(hub, String(values.tenant), id, enabled, { dropParkedDeletes }));
      print(Boolean(values.json), cal, () =>
        enabled
          ? `calendar ${id} "${cal.name}" is synced; its first sync is queued`
          : `calendar ${id} "${cal.name}" is no longer synced: calhub removed its copy (the calendar and its events stay at the provider)`,
      );
      return EXIT.OK;
    });
  },
};

export const calendarsPolicy: Command = {
  name: 'calendars policy',
  usage: `calhub calendars policy <calendarId> --tenant <id> [--conflict ${CONFLICT_POLICIES.join('|')}] [--delete ${DELETE_POLICIES.join('|')}] [--json]`,
  summary: summaryOf('calendars policy'),
  options: { tenant: { type: 'string' }, conflict: { type: 'string' }, delete: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars policy <calendarId> --tenant <id> [--conflict <policy>] [--delete <policy>]');
    const conflictPolicy: ConflictPolicy | undefined = oneOf(values.conflict, CONFLICT_POLICIES, 'conflict');
    const deletePolicy: DeletePolicy | undefined = oneOf(values.delete, DELETE_POLICIES, 'delete');
    return withHub({}, async (hub) => {
      const out = await (await hubApi()).calendarPolicy(hub, String(values.tenant), id, { conflictPolicy, deletePolicy });
      print(Boolean(values.json), out, () => `calendar ${id}: conflicts ${out.conflictPolicy}, delete vs. edit ${out.deletePolicy}`);
      return EXIT.OK;
    });
  },
};

export const calendarsUnflag: Command = {
  name: 'calendars unflag',
  usage: 'calhub calendars unflag <calendarId> --tenant <id> [--json]',
  summary: summaryOf('calendars unflag'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars unflag <calendarId> --tenant <id>');
    return withHub({}, async (hub) => {
      const { allowance } = await (await hubApi()).unflagCalendar(hub, String(values.tenant), id);
      const approved = allowance ? `; its next sync may remove ${allowance.removed} and rewrite ${allowance.rewritten} objects (the change the guard stopped), then the guard is whole again` : '';
      print(Boolean(values.json), { id, flagged: null, approved: allowance }, () => `calendar ${id} unflagged${approved}`);
      return EXIT.OK;
    });
  },
};

export const calendarsQuarantine: Command = {
  name: 'calendars quarantine',
  usage: 'calhub calendars quarantine <calendarId> --tenant <id> [--json]',
  summary: summaryOf('calendars quarantine'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars quarantine <calendarId> --tenant <id>');
    return withHub({}, async (hub) => {
      const items = await (await hubApi()).listQuarantine(hub, String(values.tenant), id);
      print(Boolean(values.json), items, () =>
        items.length === 0
          ? `calendar ${id}: nothing quarantined`
          : table([['REMOTE ID', 'EVENT', 'REASON', 'FIRST SEEN', 'LAST SEEN', 'MESSAGE'], ...items.map((q) => [q.remoteId, q.eventId ?? '-', q.reason, q.firstSeen, q.lastSeen, q.message])]),
      );
      return EXIT.OK;
    });
  },
};

/** The widest, then each occurrence that asked for less (Google and Graph write them apart). */
function tells(w: PendingWrite): string {
  const quieter = w.sendUpdatesByOccurrence.filter((o) => o.sendUpdates !== w.sendUpdates).map((o) => `${o.occurrence ?? 'series'}: ${o.sendUpdates}`);
  return [w.sendUpdates ?? 'default', ...quieter].join('; ');
}

/** The write's own message (with when a parked delete is offered again), else why the calendar's last push held it back and when it is tried next. */
function messageOf(w: PendingWrite): string {
  if (w.message && w.state === 'parked' && w.op === 'delete' && w.nextTryAt) return `${w.message}; offered again from ${w.nextTryAt}`;
  if (w.message) return w.message;
  if (!w.lastAttempt) return '';
  return `last push: ${w.lastAttempt}; ${w.nextTryAt ? `next try ${w.nextTryAt}` : 'retried with backoff'}`;
}

export const calendarsWrites: Command = {
  name: 'calendars writes',
  usage: 'calhub calendars writes <calendarId> --tenant <id> [--json]',
  summary: summaryOf('calendars writes'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!values.tenant || !id) throw new ValidationError('usage: calhub calendars writes <calendarId> --tenant <id>');
    return withHub({}, async (hub) => {
      const items = await (await hubApi()).listPendingWrites(hub, String(values.tenant), id);
      print(Boolean(values.json), items, () =>
        items.length === 0
          ? `calendar ${id}: every change is at the provider`
          : table([['UID', 'OP', 'STATE', 'REFUSALS', 'TELLS', 'CONFERENCE', 'UPDATED', 'MESSAGE'], ...items.map((w) => [w.uid, w.op, w.state, String(w.refusals), tells(w), w.conference ? 'asked' : '', w.updatedAt, messageOf(w)])]),
      );
      return EXIT.OK;
    });
  },
};
