import { ValidationError } from '../../shared/errors.ts';
import { deleteRule, parseRuleConfig, reconcileRule, settle } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { directDeps } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import { withEngine } from '../with-engine.ts';

const tenantOf = (v: unknown): string => {
  if (typeof v !== 'string' || !v) throw new ValidationError('missing --tenant');
  return v;
};

export const rulesCreate: Command = {
  name: 'rules create',
  usage: 'calhub rules create --tenant <id> --from <calendarId> --to <calendarId> --mode busy-block|full-copy [--two-way] [--skip-declined] [--keep-free] [--skip-all-day] [--working-hours HH:mm-HH:mm --time-zone <IANA>] [--json]',
  summary: 'Create a mirror rule copying events from one calendar to another (busy blocks or full copies)',
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
    let workingHours = null;
    if (values['working-hours']) {
      const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(String(values['working-hours']));
      if (!m) throw new ValidationError('--working-hours must look like 09:00-17:00');
      workingHours = { timeZone: String(values['time-zone'] ?? 'UTC'), start: m[1], end: m[2] };
    }
    const config = parseRuleConfig({
      mode: values.mode,
      twoWay: Boolean(values['two-way']),
      filters: { skipDeclined: Boolean(values['skip-declined']), skipFree: !values['keep-free'], skipAllDay: Boolean(values['skip-all-day']), workingHours },
    });
    const rt = await openRuntime({ quiet: true });
    try {
      const rule = await rt.store.tenant(tenantId).mirror.create(String(values.from), String(values.to), config);
      if (!rule) throw new ValidationError('both calendars must exist and belong to the tenant');
      await withEngine(rt, async (engine) => {
        if (engine) return void (await engine.requestMirror(tenantId, rule.id));
        const deps = directDeps(rt);
        await reconcileRule(deps, tenantId, rule.id);
        await settle(deps, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]).catch(() => undefined);
      });
      print(Boolean(values.json), { ...rule, config }, () => `rule ${rule.id}: ${rule.sourceCalendarId} ${config.twoWay ? '<->' : '->'} ${rule.targetCalendarId} (${config.mode})`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const rulesList: Command = {
  name: 'rules list',
  usage: 'calhub rules list --tenant <id> [--json]',
  summary: "List a tenant's mirror rules",
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const rt = await openRuntime({ quiet: true });
    try {
      const rules = await rt.store.tenant(tenantOf(values.tenant)).mirror.list();
      print(Boolean(values.json), rules, () => table([['RULE', 'FROM', 'TO', 'CONFIG'], ...rules.map((r) => [r.id, r.sourceCalendarId, r.targetCalendarId, JSON.stringify(r.config)])]));
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const rulesDelete: Command = {
  name: 'rules delete',
  usage: 'calhub rules delete <ruleId> --tenant <id> [--json]',
  summary: 'Delete a mirror rule and the copies it made',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values.tenant);
    const ruleId = positionals[0];
    if (!ruleId) throw new ValidationError('rules delete needs a rule id');
    const rt = await openRuntime({ quiet: true });
    try {
      const rule = await rt.store.tenant(tenantId).mirror.get(ruleId);
      if (!rule) throw new ValidationError(`no rule ${ruleId} in tenant ${tenantId}`);
      const removed = await withEngine(rt, async (engine) => {
        const deps = engine?.deps ?? directDeps(rt);
        const n = await deleteRule(deps, tenantId, ruleId);
        if (!engine) await settle(deps, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]).catch(() => undefined);
        return n;
      });
      print(Boolean(values.json), { id: ruleId, copiesRemoved: removed }, () => `rule ${ruleId} deleted; ${removed} copies removed`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
