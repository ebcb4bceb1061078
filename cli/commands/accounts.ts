import { createConnector } from '../../connectors/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { calendarHealth } from '../calendar-health.ts';
import { keyRingFor } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';

const need = (v: unknown, flag: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ValidationError(`missing --${flag}`);
  return v.trim();
};

export const accountsConnectCaldav: Command = {
  name: 'accounts connect caldav',
  usage: 'calhub accounts connect caldav --tenant <id> --url <url> --username <u> --password <p> [--json]',
  summary: 'Connect a CalDAV account (iCloud, Fastmail, Nextcloud, Radicale, …): discover its calendars; the password is encrypted at rest',
  options: { tenant: { type: 'string' }, url: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const tenantId = need(values.tenant, 'tenant');
    const serverUrl = need(values.url, 'url');
    const username = need(values.username, 'username');
    const password = need(values.password, 'password');
    try {
      new URL(serverUrl);
    } catch {
      throw new ValidationError('--url must be an absolute http(s) URL');
    }
    const rt = await openRuntime({ quiet: true });
    try {
      const t = rt.store.tenant(tenantId);
      if (!(await rt.store.tenants.get(tenantId))) throw new ValidationError(`no tenant ${tenantId}`);
      const connector = createConnector('caldav', { serverUrl, allowPrivateNetworks: rt.config.caldavAllowPrivateNetworks });
      const ctx = { credentials: { kind: 'basic' as const, username, password }, signal: AbortSignal.timeout(60_000), log: rt.logger, now: () => new Date() };
      const remote = (await connector.listCalendars(ctx)).filter((c) => c.supportsEvents);
      const account = await t.accounts.upsert({
        provider: 'caldav',
        externalId: `${username}@${new URL(serverUrl).host}${new URL(serverUrl).pathname}`,
        displayName: username,
        credentials: keyRingFor(rt).encrypt(JSON.stringify({ username, password })),
        config: { serverUrl },
      });
      const cals = await t.calendars.upsertMany(
        account.id,
        remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly })),
      );
      const out = { id: account.id, calendars: cals.map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone, readOnly: c.accessRole === 'reader', providerCalendarId: c.providerCalendarId })) };
      print(Boolean(values.json), out, () => `account ${account.id}\n${table([['CALENDAR', 'NAME', 'ZONE'], ...out.calendars.map((c) => [c.id, c.name, c.timeZone])])}`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const accountsList: Command = {
  name: 'accounts list',
  usage: 'calhub accounts list [--tenant <id>] [--json]',
  summary: 'List connected accounts, their status, and calendars whose syncs or writes are failing',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const rt = await openRuntime({ quiet: true });
    try {
      const tenants = values.tenant ? [String(values.tenant)] : (await rt.store.tenants.list()).map((t) => t.id);
      const rows: Array<{ id: string; tenantId: string; provider: string; externalId: string; status: string; statusReason: string | null; calendars: number; errors: Array<{ calendarId: string; name: string; error: string }> }> = [];
      for (const tenantId of tenants) {
        for (const a of await rt.store.tenant(tenantId).accounts.list()) {
          const cals = await rt.store.tenant(tenantId).calendars.list({ accountId: a.id });
          const health = await calendarHealth(rt, tenantId, cals.map((c) => c.id));
          const errors = health.flatMap((h) => (h.error ? [{ calendarId: h.id, name: h.name, error: h.error }] : []));
          rows.push({ id: a.id, tenantId, provider: a.provider, externalId: a.externalId, status: a.status, statusReason: a.statusReason, calendars: cals.length, errors });
        }
      }
      print(Boolean(values.json), rows, () =>
        table([
          ['ACCOUNT', 'TENANT', 'PROVIDER', 'STATUS', 'CALENDARS', 'EXTERNAL ID', 'PROBLEMS'],
          ...rows.map((r) => [r.id, r.tenantId, r.provider, r.status, String(r.calendars), r.externalId, r.errors.map((e) => `${e.name}: ${e.error}`).join('; ')]),
        ]),
      );
      return 0;
    } finally {
      await rt.close();
    }
  },
};

function setStatusCommand(action: 'enable' | 'disable'): Command {
  return {
    name: `accounts ${action}`,
    usage: `calhub accounts ${action} <accountId> --tenant <id> [--json]`,
    summary:
      action === 'disable'
        ? 'Stop syncing an account: its jobs fail with ACCOUNT_DISABLED and polling skips it; its data stays'
        : 'Let a disabled account sync again (reconnecting an account also does this)',
    options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const tenantId = need(values.tenant, 'tenant');
      const accountId = positionals[0];
      if (!accountId) throw new ValidationError(`usage: calhub accounts ${action} <accountId> --tenant <id>`);
      const rt = await openRuntime({ quiet: true });
      try {
        const t = rt.store.tenant(tenantId);
        const account = await t.accounts.get(accountId);
        if (!account) throw new ValidationError(`no account ${accountId} in tenant ${tenantId}`);
        if (action === 'enable' && account.status === 'needs_reauth') throw new ValidationError(`account ${accountId} needs to be reconnected, not enabled`);
        const status = action === 'disable' ? 'disabled' : 'active';
        await t.accounts.setStatus(accountId, status, action === 'disable' ? 'disabled by an operator' : null);
        print(Boolean(values.json), { id: accountId, status }, () => `account ${accountId} is ${status}`);
        return 0;
      } finally {
        await rt.close();
      }
    },
  };
}

export const accountsDisable = setStatusCommand('disable');
export const accountsEnable = setStatusCommand('enable');
