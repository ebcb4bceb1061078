import { HubError, ValidationError } from '../../shared/errors.ts';
import { tenantLabel } from '../../shared/tenant-label.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table, warnProblems } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

const tenantOf = (v: unknown): string => {
  if (typeof v !== 'string' || !v) throw new ValidationError('missing --tenant');
  return v;
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** --working-hours [--time-zone], checked as the API checks it (400 WORKING_HOURS_INVALID) before anything is opened; undefined when not given. */
async function workingHoursOf(values: Record<string, unknown>) {
  if (values['time-zone'] && !values['working-hours']) throw new ValidationError('--time-zone only applies with --working-hours');
  if (!values['working-hours']) return undefined;
  const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(String(values['working-hours']));
  if (!m) throw new ValidationError('--working-hours must look like 09:00-17:00 (start before end)');
  const timeZone = String(values['time-zone'] ?? 'UTC');
  if (!isTimeZone(timeZone)) throw new ValidationError(`--time-zone must be an IANA time zone such as Europe/Berlin (got "${timeZone}")`);
  const workingHours = { timeZone, start: m[1]!, end: m[2]!, days: [1, 2, 3, 4, 5] };
  const hours = (await hubApi()).workingHoursProblem(workingHours, '--working-hours');
  if (hours) throw new HubError('WORKING_HOURS_INVALID', 'never', hours);
  return workingHours;
}

export const rulesCreate: Command = {
  name: 'rules create',
  usage: 'calhub rules create --tenant <id> --from <calendarId> --to <calendarId> --mode busy-block|full-copy [--two-way] [--skip-declined] [--keep-free] [--skip-all-day] [--working-hours HH:mm-HH:mm --time-zone <IANA>] [--json]',
  summary: summaryOf('rules create'),
  options: {
    tenant: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    mode: { type: 'string' },
    'two-way': { type: 'boolean' },
    'skip-declined': { type: 'boolean' },
    'keep-free': { type: 'boolean' },
    'skip-all-day': { type: 'boolean' },
    'working-hours': { type: 'string' },
    'time-zone': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const tenantId = tenantOf(values.tenant);
    if (!values.from || !values.to) throw new ValidationError('rules create needs --from and --to calendar ids');
    if (values.from === values.to) throw new ValidationError('--from and --to must be different calendars');
    const workingHours = (await workingHoursOf(values)) ?? null;
    if (values.mode !== 'busy-block' && values.mode !== 'full-copy') throw new ValidationError(`--mode must be busy-block or full-copy (got "${values.mode ?? ''}")`);
    const config = {
      mode: values.mode,
      twoWay: Boolean(values['two-way']),
      filters: { skipDeclined: Boolean(values['skip-declined']), skipFree: !values['keep-free'], skipAllDay: Boolean(values['skip-all-day']), workingHours },
    };
    // Without a worker the copies are made here; the rule stands either way, so a failed sync is a warning.
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const { rule, config: parsed, problems } = await (await hubApi()).createRule(hub, tenantId, { sourceCalendarId: String(values.from), targetCalendarId: String(values.to), config });
      warnProblems('rules create', problems);
      print(Boolean(values.json), { ...rule, config: parsed, problems }, () => `rule ${rule.id}: ${rule.sourceCalendarId} ${parsed.twoWay ? '<->' : '->'} ${rule.targetCalendarId} (${parsed.mode})`);
      return EXIT.OK;
    });
  },
};

export const rulesList: Command = {
  name: 'rules list',
  usage: 'calhub rules list [--tenant <id>] [--json]',
  summary: summaryOf('rules list'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      const api = await hubApi();
      if (values.tenant !== undefined) {
        const rules = await api.listRules(hub, tenantOf(values.tenant));
        print(Boolean(values.json), rules, () => listText(rules));
        return EXIT.OK;
      }
      // Operators with several tenants read every rule on one screen, as `accounts list` shows
      // every account; each row then names its tenant (JSON: each rule's own `tenantId`).
      const tenants = await hub.store.tenants.list();
      const rules = (await Promise.all(tenants.map((t) => api.listRules(hub, t.id)))).flat();
      const names = Object.fromEntries(tenants.map((t) => [t.id, t.name]));
      print(Boolean(values.json), rules, () => listText(rules, names));
      return EXIT.OK;
    });
  },
};

type Shown = Awaited<ReturnType<Awaited<ReturnType<typeof hubApi>>['getRule']>>;
type Listed = Pick<Shown, 'id' | 'sourceCalendarId' | 'targetCalendarId' | 'config' | 'state' | 'pausedCode' | 'pausedReason' | 'copies' | 'lastRun' | 'lastChange' | 'refusals'>;

/**
 * `rules list`'s text. LAST CHECKED is the last run (most find nothing to do), with the code of the
 * error that stopped it; LAST CHANGE the last run that created, updated or deleted a copy: one
 * column of the last run alone (LAST RUN, as it was) read as "nothing happened since" when a rule
 * was merely checked. REFUSED counts the copies the target's provider refuses. A paused rule, and
 * one with refused copies, says why under the table (the calendar, the code, what to do).
 */
export function listText(rules: (Listed & { tenantId?: string })[], tenantNames?: Record<string, string>): string {
  const refused = (r: Listed) => r.refusals.reduce((n, x) => n + x.copies, 0);
  const checked = (r: Listed) => (r.lastRun ? `${r.lastRun.at}${r.lastRun.error ? ` failed ${r.lastRun.error.code}` : ''}` : 'never');
  const changed = (r: Listed) => (r.lastChange ? `${r.lastChange.at} +${r.lastChange.created} ~${r.lastChange.updated} -${r.lastChange.deleted}` : r.lastRun ? 'none yet' : 'never');
  const withTenant = tenantNames !== undefined;
  const rows = rules.map((r) => [r.id, ...(withTenant ? [tenantLabel(tenantNames, r.tenantId ?? '')] : []), r.sourceCalendarId, r.targetCalendarId, r.state, String(r.copies), String(refused(r)), checked(r), changed(r), JSON.stringify(r.config)]);
  const why = rules.filter((r) => r.state === 'paused').map((r) => `rule ${r.id} is paused (${r.pausedCode}): ${r.pausedReason ?? 'by a user; calhub rules resume resumes it'}`);
  const refusals = rules.flatMap((r) => r.refusals.map((x) => `rule ${r.id}: ${refusalLine(x)}`));
  return [table([['RULE', ...(withTenant ? ['TENANT'] : []), 'FROM', 'TO', 'STATE', 'COPIES', 'REFUSED', 'LAST CHECKED', 'LAST CHANGE', 'CONFIG'], ...rows]), ...why, ...refusals].join('\n');
}

const refusalLine = (x: Shown['refusals'][number]): string =>
  `${x.copies} cop${x.copies === 1 ? 'y' : 'ies'} refused by calendar ${x.calendarId}'s provider (${x.code}, ${x.times} time${x.times === 1 ? '' : 's'} since ${x.firstAt}, last ${x.lastAt}): ${x.message}`;

/** `rules show`'s text: when the rule was last checked, and apart from it what it last changed (most runs change nothing). */
export const showText = (r: Pick<Shown, 'id' | 'sourceCalendarId' | 'targetCalendarId' | 'config' | 'state' | 'pausedCode' | 'pausedReason' | 'copies' | 'lastRun' | 'lastChange' | 'createdAt'> & { refusals?: Shown['refusals'] }) =>
  [
    `rule ${r.id}: ${r.sourceCalendarId} -> ${r.targetCalendarId}`,
    `config: ${JSON.stringify(r.config)}`,
    `state: ${r.state}${r.pausedCode ? ` (${r.pausedCode})` : ''}`,
    ...(r.pausedReason ? [`why: ${r.pausedReason}`] : []),
    `copies: ${r.copies}`,
    ...(r.refusals ?? []).map((x) => `refused: ${refusalLine(x)}`),
    `last checked: ${r.lastRun ? `${r.lastRun.at}${r.lastRun.error ? ', failed' : ', ok'}` : 'never'}`,
    ...(r.lastRun?.error ? [`last error: ${r.lastRun.error.code}: ${r.lastRun.error.message}`] : []),
    `last change: ${r.lastChange ? `${r.lastChange.at}: ${counts(r.lastChange)}` : r.lastRun ? 'none yet' : 'never'}`,
    `created: ${r.createdAt}`,
  ].join('\n');

const counts = (c: { created: number; updated: number; deleted: number }): string => `${c.created} created, ${c.updated} updated, ${c.deleted} deleted`;

const ruleIdOf = (command: string, positionals: string[]): string => {
  if (!positionals[0]) throw new ValidationError(`${command} needs a rule id`);
  return positionals[0];
};

export const rulesShow: Command = {
  name: 'rules show',
  usage: 'calhub rules show <ruleId> --tenant <id> [--json]',
  summary: summaryOf('rules show'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values.tenant);
    const ruleId = ruleIdOf('rules show', positionals);
    return withHub({}, async (hub) => {
      const rule = await (await hubApi()).getRule(hub, tenantId, ruleId);
      print(Boolean(values.json), rule, () => showText(rule));
      return EXIT.OK;
    });
  },
};

const pauseCommand = (paused: boolean): Command => ({
  name: paused ? 'rules pause' : 'rules resume',
  usage: `calhub rules ${paused ? 'pause' : 'resume'} <ruleId> --tenant <id> [--json]`,
  summary: summaryOf(paused ? 'rules pause' : 'rules resume'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values.tenant);
    const ruleId = ruleIdOf(paused ? 'rules pause' : 'rules resume', positionals);
    // Resumed without a worker, the rule catches up here; a failed sync is a warning.
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const { rule, problems } = await (await hubApi()).updateRule(hub, tenantId, ruleId, { paused });
      warnProblems(paused ? 'rules pause' : 'rules resume', problems);
      print(Boolean(values.json), { ...rule, problems }, () => showText(rule));
      return EXIT.OK;
    });
  },
});

export const rulesPause = pauseCommand(true);
export const rulesResume = pauseCommand(false);

/** Each filter flag and its opposite: a rule's filter is turned on or off, the others stay as they are. */
const FILTER_FLAGS = [
  ['skip-declined', 'keep-declined', 'skipDeclined'],
  ['skip-free', 'keep-free', 'skipFree'],
  ['skip-all-day', 'keep-all-day', 'skipAllDay'],
] as const;

export const rulesUpdate: Command = {
  name: 'rules update',
  usage:
    'calhub rules update <ruleId> --tenant <id> [--skip-declined|--keep-declined] [--skip-free|--keep-free] [--skip-all-day|--keep-all-day] [--working-hours HH:mm-HH:mm [--time-zone <IANA>] | --any-hours] [--json]',
  summary: summaryOf('rules update'),
  options: {
    tenant: { type: 'string' },
    ...Object.fromEntries(FILTER_FLAGS.flatMap(([on, off]) => [[on, { type: 'boolean' }], [off, { type: 'boolean' }]])),
    'working-hours': { type: 'string' },
    'time-zone': { type: 'string' },
    'any-hours': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values.tenant);
    const ruleId = ruleIdOf('rules update', positionals);
    const filters: Record<string, unknown> = {};
    for (const [on, off, key] of FILTER_FLAGS) {
      if (values[on] && values[off]) throw new ValidationError(`--${on} and --${off} contradict each other`);
      if (values[on] || values[off]) filters[key] = Boolean(values[on]);
    }
    if (values['any-hours'] && values['working-hours']) throw new ValidationError('--any-hours and --working-hours contradict each other');
    const hours = await workingHoursOf(values);
    if (hours) filters.workingHours = hours;
    if (values['any-hours']) filters.workingHours = null;
    if (Object.keys(filters).length === 0) throw new ValidationError('rules update needs a filter to change (see calhub rules update --help)');
    // Without a worker the copies are brought in line here; the change stands either way, so a failed sync is a warning.
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const api = await hubApi();
      const { rule, problems } = await api.updateRule(hub, tenantId, ruleId, { filters });
      warnProblems('rules update', problems);
      // The rule as the API shows it: filters with their defaults, as they now are.
      print(Boolean(values.json), { ...api.showRule(rule), problems }, () => showText(rule));
      return EXIT.OK;
    });
  },
};

export const rulesDelete: Command = {
  name: 'rules delete',
  usage: 'calhub rules delete <ruleId> --tenant <id> [--json]',
  summary: summaryOf('rules delete'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values.tenant);
    const ruleId = positionals[0];
    if (!ruleId) throw new ValidationError('rules delete needs a rule id');
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const { copiesRemoved, copiesPending, pending, problems } = await (await hubApi()).deleteRule(hub, tenantId, ruleId);
      warnProblems('rules delete', problems);
      // Copies whose provider delete waits (an account disabled, say, or parked after refusals) are not called removed.
      const waiting = pending.map((p) => `  ${p.copies} in calendar ${p.calendarId}: ${p.reason}`);
      print(Boolean(values.json), { id: ruleId, copiesRemoved, copiesPending, pending, problems }, () =>
        [`rule ${ruleId} deleted; ${copiesRemoved} copies removed at their provider${copiesPending ? `, ${copiesPending} left there, their delete waiting:` : ''}`, ...waiting].join('\n'));
      return EXIT.OK;
    });
  },
};
