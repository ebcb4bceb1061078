import { ConfigError, ValidationError } from '../../shared/errors.ts';
import type { ConnectedCaldav } from '../connect-caldav-run.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { declinedFor, differentSettings, onRunningHub } from '../operations-client.ts';
import { print, table } from '../output.ts';
import { PASSWORD_OPTIONS, readPassword } from '../password.ts';
import { summaryOf } from './summaries.ts';
import { accessLevel } from '../access-level.ts';

const need = (v: unknown, flag: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ValidationError(`missing --${flag}`);
  return v.trim();
};

/**
 * A hub that checks CalDAV addresses by another policy declines the connect: made here with this
 * command's policy, the account would be one the hub's syncs refuse (or this command would refuse
 * one the hub takes), so nothing is stored and the user is told which setting to align.
 */
function refuseOtherPolicy(reason: string): null {
  if (!differentSettings(reason).includes('CALDAV_ALLOW_PRIVATE_NETWORKS')) return declinedFor(['CALDAV_ALLOW_PRIVATE_NETWORKS'])(reason);
  throw new ConfigError('CALDAV_ALLOW_PRIVATE_NETWORKS', "the running calhub's value for this command too: it syncs the account by its own, so run the command with the same setting (or restart the hub with the one you want)");
}

/** A module of its own: with a hub running it needs nothing of the hub's (cli/operations.ts). */
export const accountsConnectCaldav: Command = {
  name: 'accounts connect caldav',
  usage: 'calhub accounts connect caldav --tenant <id> --url <url> --username <u> (--password-stdin | --password-file <path> | env CALHUB_CALDAV_PASSWORD) [--access freebusy|read|readwrite] [--email <address>] [--json]',
  summary: summaryOf('accounts connect caldav'),
  options: { tenant: { type: 'string' }, url: { type: 'string' }, username: { type: 'string' }, access: { type: 'string' }, email: { type: 'string' }, ...PASSWORD_OPTIONS, json: { type: 'boolean' } },
  async run({ values }) {
    const tenantId = need(values.tenant, 'tenant');
    const login = { serverUrl: need(values.url, 'url'), username: need(values.username, 'username'), password: await readPassword(values), ...(values.access === undefined ? {} : { access: accessLevel(values.access) }), ...(values.email === undefined ? {} : { email: need(values.email, 'email') }) };
    const out =
      (await onRunningHub<ConnectedCaldav>('accounts connect caldav', { tenantId, login }, undefined, refuseOtherPolicy)) ??
      (await (await import('../connect-caldav-run.ts')).connectCaldavHere(tenantId, login));
    print(Boolean(values.json), out, () => `account ${out.id}\n${table([['CALENDAR', 'NAME', 'ZONE'], ...out.calendars.map((c) => [c.id, c.name, c.timeZone])])}`);
    return EXIT.OK;
  },
};
