import { accountsOverview, connectCaldav, setAccountStatus } from '../../hub/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { withHub } from '../with-hub.ts';

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
    const login = { serverUrl: need(values.url, 'url'), username: need(values.username, 'username'), password: need(values.password, 'password') };
    return withHub({}, async (hub) => {
      const { account, calendars } = await connectCaldav(hub, tenantId, login);
      const out = { id: account.id, calendars: calendars.map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone, readOnly: c.accessRole === 'reader', providerCalendarId: c.providerCalendarId })) };
      print(Boolean(values.json), out, () => `account ${account.id}\n${table([['CALENDAR', 'NAME', 'ZONE'], ...out.calendars.map((c) => [c.id, c.name, c.timeZone])])}`);
      return EXIT.OK;
    });
  },
};

export const accountsList: Command = {
  name: 'accounts list',
  usage: 'calhub accounts list [--tenant <id>] [--json]',
  summary: 'List connected accounts, their status, and calendars whose syncs or writes are failing',
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      const rows = await accountsOverview(hub, values.tenant ? String(values.tenant) : undefined);
      print(Boolean(values.json), rows, () =>
        table([
          ['ACCOUNT', 'TENANT', 'PROVIDER', 'STATUS', 'CALENDARS', 'EXTERNAL ID', 'PROBLEMS'],
          ...rows.map((r) => [r.id, r.tenantId, r.provider, r.status, String(r.calendars), r.externalId, r.errors.map((e) => `${e.name}: ${e.error}`).join('; ')]),
        ]),
      );
      return EXIT.OK;
    });
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
      return withHub({}, async (hub) => {
        const { id, status } = await setAccountStatus(hub, tenantId, accountId, action);
        print(Boolean(values.json), { id, status }, () => `account ${id} is ${status}`);
        return EXIT.OK;
      });
    },
  };
}

export const accountsDisable = setStatusCommand('disable');
export const accountsEnable = setStatusCommand('enable');
