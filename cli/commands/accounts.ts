import type { AccountDetail, OAuthProviderId } from '../../hub/index.ts';
import { HubError, ValidationError } from '../../shared/errors.ts';
import { tenantLabel } from '../../shared/tenant-label.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { waitForConnect } from '../connect-wait.ts';
import { accessLevel } from '../access-level.ts';
import { hostingHub, write } from '../hosted.ts';
import { print, table, visible } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { CopyDeleteView } from '../progress.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

const need = (v: unknown, flag: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ValidationError(`missing --${flag}`);
  return v.trim();
};

export const accountsList: Command = {
  name: 'accounts list',
  usage: 'calhub accounts list [--tenant <id>] [--provider <google|microsoft|caldav>] [--needs-attention] [--limit <n>] [--json [--with-total]]',
  summary: summaryOf('accounts list'),
  options: { tenant: { type: 'string' }, provider: { type: 'string' }, 'needs-attention': { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' }, 'with-total': { type: 'boolean' } },
  async run({ values }) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new ValidationError('--limit: expected a whole number of accounts, 1 or more');
    return withHub({}, async (hub) => {
      const filter = { ...(values.provider ? { provider: String(values.provider) } : {}), ...(values['needs-attention'] ? { needsAttention: true } : {}) };
      const all = await (await hubApi()).accountsOverview(hub, values.tenant ? String(values.tenant) : undefined, filter);
      const rows = limit === undefined ? all : all.slice(0, limit);
      const names = values.json ? {} : await hub.store.tenants.namesOf(rows.map((r) => r.tenantId));
      // --json stays an array of rows (scripts read it as one); --with-total wraps it with the count of
      // all (the table's last line says it), so a script can tell a --limit page from the whole list.
      const data = values['with-total'] ? { items: rows, total: all.length, truncated: rows.length < all.length } : rows;
      print(Boolean(values.json), data, () =>
        [
          table([
            ['ACCOUNT', 'TENANT', 'PROVIDER', 'STATUS', 'ACCESS', 'CALENDARS', 'EXTERNAL ID', 'PROBLEMS'],
            ...rows.map((r) => [r.id, tenantLabel(names, r.tenantId), r.provider, r.status, r.access ?? 'unknown', String(r.calendars), r.externalId, [...(r.calendarsUnlisted ? [`calendars not listed yet: calhub reads them within a minute or two (calhub resync ${r.id} --tenant ${r.tenantId} now)`] : []), ...(r.clientProblem ? [r.clientProblem] : []), ...r.errors.map((e) => `${e.name}: ${e.error}`)].join('; ')]),
          ]),
          ...(rows.length < all.length ? [`showing ${rows.length} of ${all.length} accounts (--limit)`] : []),
        ].join('\n'),
      );
      return EXIT.OK;
    });
  },
};

function setStatusCommand(action: 'enable' | 'disable'): Command {
  return {
    name: `accounts ${action}`,
    usage: `calhub accounts ${action} <accountId> --tenant <id> [--json]`,
    summary: summaryOf(`accounts ${action}` as const),
    options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const tenantId = need(values.tenant, 'tenant');
      const accountId = positionals[0];
      if (!accountId) throw new ValidationError(`usage: calhub accounts ${action} <accountId> --tenant <id>`);
      // Enabling queues a pull of the account's calendars when a worker takes jobs (a running hub's, or `calhub worker`'s).
      return withHub(action === 'enable' ? { queue: 'if-worker' } : {}, async (hub) => {
        const r = await (await hubApi()).setAccountStatus(hub, tenantId, accountId, action);
        const pulls = action === 'disable' ? '' : r.status === 'needs_reauth' ? ` (${r.statusReason ?? 'its grant was dead when it was disabled'}): reconnect it` : r.pullsQueued > 0 ? `; ${r.pullsQueued} calendar pull(s) queued` : '; no worker runs: its calendars sync when a hub polls them';
        print(Boolean(values.json), r, () => `account ${r.id} is ${r.status}${pulls}`);
        return EXIT.OK;
      });
    },
  };
}

export const accountsDisable = setStatusCommand('disable');
export const accountsEnable = setStatusCommand('enable');

const showDetail = (a: AccountDetail) =>
  [
    `account ${a.id} (${a.provider}, ${a.externalId}${a.email && a.email !== a.externalId ? `, ${a.email}` : ''}) in tenant ${a.tenantId}: ${a.status}${a.statusReason ? ` (${a.statusReason})` : ''}, access ${a.access ?? 'unknown (its key is not in the key ring)'}`,
    table([['CALENDAR', 'NAME', 'ZONE', 'BUSY', 'STAGE', 'LAST SYNC', 'PROBLEM'], ...a.calendars.map((c) => [c.id, c.primary ? `${c.name} (primary)` : c.name, c.timeZoneChosen ? `${c.timeZone} (chosen)` : c.timeZone, c.countsForBusy ? 'counts' : 'ignored', c.syncEnabled ? c.stage : 'sync off', c.lastSuccessAt ?? '-', problemOf(c)])]),
  ].join('\n');

/** The calendar's error, else its warnings (items set aside or read with a fallback; series cut short), as `resync` shows them. */
const problemOf = (c: AccountDetail['calendars'][number]): string =>
  c.error ?? [c.quarantine, c.truncated, c.fallbacks].filter((w): w is string => w !== null).map((w) => `warning: ${w}`).join('; ');

function connectOAuthCommand(provider: OAuthProviderId): Command {
  return {
    name: `accounts connect ${provider}`,
    usage: `calhub accounts connect ${provider} --tenant <id> [--access freebusy|read|readwrite] [--login-hint <email>] [--account <id>] [--timeout <seconds>] [--json]`,
    summary: summaryOf(`accounts connect ${provider}` as const),
    options: { tenant: { type: 'string' }, access: { type: 'string' }, 'login-hint': { type: 'string' }, account: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values }) {
      const tenantId = need(values.tenant, 'tenant');
      const access = accessLevel(values.access ?? 'read');
      const timeoutS = values.timeout === undefined ? 600 : Number(values.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new ValidationError('--timeout: expected a number of seconds');
      const json = Boolean(values.json);
      const loginHint = typeof values['login-hint'] === 'string' ? values['login-hint'] : null;
      const accountId = typeof values.account === 'string' ? values.account : null;
      // A hub running on this data dir does the flow with its settings (its OAuth app, its callback).
      const viaHub = await (await import('../connect-oauth-run.ts')).connectThroughHub({ tenantId, provider, access, loginHint, accountId }, timeoutS, json);
      if (viaHub !== null) return viaHub;
      // The callback may run here (no hub listening): its first sync then runs in this process too.
      return withHub({ queue: 'if-worker' }, async (hub) => {
        const wait = await waitForConnect(hub, timeoutS * 1000);
        try {
          const { url } = await (await hubApi()).operatorAuthorizeUrl(hub, tenantId, provider, {
            redirectUri: wait.redirectUri,
            access,
            loginHint,
            accountId,
          });
          // With --json stdout holds only the result, so the URL goes to stderr.
          (json ? process.stderr : process.stdout).write(`Open this address in a browser and sign in (waiting up to ${timeoutS} s):\n${url}\n`);
          const back = await wait.result;
          const error = back.get('error');
          if (error) throw new HubError(error, 'never', `the connection did not complete: ${back.get('error_description') ?? error}`);
          const account = await (await hubApi()).showAccount(hub, back.get('accountId')!, tenantId);
          print(json, account, () => showDetail(account));
          return EXIT.OK;
        } finally {
          await wait.close();
        }
      });
    },
  };
}

export const accountsConnectGoogle = connectOAuthCommand('google');
export const accountsConnectMicrosoft = connectOAuthCommand('microsoft');

export const accountsShow: Command = {
  name: 'accounts show',
  usage: 'calhub accounts show <accountId> [--tenant <id>] [--json]',
  summary: summaryOf('accounts show'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const accountId = positionals[0];
    if (!accountId) throw new ValidationError('usage: calhub accounts show <accountId> [--tenant <id>]');
    return withHub({}, async (hub) => {
      const account = await (await hubApi()).showAccount(hub, accountId, typeof values.tenant === 'string' ? values.tenant : undefined);
      print(Boolean(values.json), account, () => showDetail(account));
      return EXIT.OK;
    });
  },
};

export const accountsDisconnect: Command = {
  name: 'accounts disconnect',
  usage: 'calhub accounts disconnect <accountId> [--tenant <id>] [--json]',
  summary: summaryOf('accounts disconnect'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const accountId = positionals[0];
    if (!accountId) throw new ValidationError('usage: calhub accounts disconnect <accountId> [--tenant <id>]');
    return withHub({}, async (hub) => {
      const tenantId = await (await hubApi()).accountTenantOf(hub, accountId, typeof values.tenant === 'string' ? values.tenant : undefined);
      // Run by `calhub start` for a command process, it goes back over the socket, as plain lines.
      const view = new CopyDeleteView(hostingHub() ? { write: (text: string) => write('stderr', text) } : process.stderr);
      let r: Awaited<ReturnType<Awaited<ReturnType<typeof hubApi>>['disconnectAccount']>>;
      try {
        r = await (await hubApi()).disconnectAccount(hub, tenantId, accountId, { onProgress: (p) => view.update(p) });
      } finally {
        view.end();
      }
      const revoked = r.revoked === 'kept' ? 'no, kept: the grant may still serve another connection through the same app' : r.revoked;
      const json = Boolean(values.json);
      const left = r.channelsLeftRunning;
      const lastExpiry = left.map((c) => c.expiresAt ?? '').sort().at(-1);
      const leftText = left.length ? `; push channels LEFT RUNNING at the provider: ${left.length}, expiring by ${lastExpiry || 'an unknown time'}` : '';
      const queued = r.channelsStopQueued.length ? `; push channel stops QUEUED (a worker retries them): ${r.channelsStopQueued.length}` : '';
      const revokedText = r.revoked === 'deferred' ? 'deferred until the queued channel stops ran' : revoked;
      const waiting = r.copiesElsewhereLeft.reduce((n, c) => n + c.copies, 0);
      const copiesText = `; mirror copies deleted from its calendars: ${r.copiesDeleted}${r.copiesLeft.length ? `, LEFT there: ${r.copiesLeft.length}` : ''}; copies of its events in other calendars deleted: ${r.copiesElsewhere}${waiting ? `, NOT YET at their provider: ${waiting}${r.copiesElsewhereLeft.every((c) => c.queued) ? ' (queued for the worker)' : ''}` : ', none left at their provider'}`;
      print(json, r, () => `account ${r.id} disconnected (revoked at the provider: ${revokedText}; push channels stopped: ${r.channelsStopped}${queued}${leftText}${copiesText})`);
      if (r.copiesLeft.length) {
        // Busy blocks stay at the provider that nothing here can clean once the grant is gone: named, with why.
        const first = r.copiesLeft[0]!;
        const message = `${r.copiesLeft.length} mirror copy(ies) calhub wrote into the account's own calendars could not be deleted at the provider and stay there (first: calendar ${first.calendarId}, uid ${first.uid}: ${first.error}); the user can delete them there`;
        write('stderr', json ? `${JSON.stringify({ error: { code: 'COPIES_LEFT', message, exitCode: EXIT.FAILED } })}\n` : `${visible(`calhub accounts disconnect: ${message} [COPIES_LEFT]`)}\n`);
      }
      if (waiting) {
        // This command sent these deletes itself; busy blocks of a gone account stay in other users' calendars until they get through.
        const first = r.copiesElsewhereLeft[0]!;
        const then = first.queued ? 'a worker sends them (its push of that calendar is queued and retried)' : "that calendar's next sync sends them once the cause is mended (calhub resync, or a worker)";
        const message = `${waiting} mirror copy(ies) of the account's events in other accounts' calendars are deleted in calhub but NOT YET at their provider: they still show there as busy (first: calendar ${first.calendarId}, ${first.copies} waiting: ${first.error}); ${then}; a delete its provider refused 3 times for its content is offered again after a wait (calhub calendars writes ${first.calendarId} says when)`;
        write('stderr', json ? `${JSON.stringify({ error: { code: 'COPIES_ELSEWHERE_LEFT', message, exitCode: EXIT.FAILED } })}\n` : `${visible(`calhub accounts disconnect: ${message} [COPIES_ELSEWHERE_LEFT]`)}\n`);
      }
      if (left.length) {
        // The provider keeps notifying calhub about this user's calendar until then: not a quiet success.
        const message = `${left.length} push channel(s) could not be stopped at the provider (${left[0]!.error}); they notify calhub of changes to the user's calendars until they expire (by ${lastExpiry || 'an unknown time'}); calhub answers them as unknown channels`;
        write('stderr', json ? `${JSON.stringify({ error: { code: 'CHANNELS_LEFT_RUNNING', message, exitCode: EXIT.FAILED } })}\n` : `${visible(`calhub accounts disconnect: ${message} [CHANNELS_LEFT_RUNNING]`)}\n`);
      }
      if (r.revoked !== 'failed') return left.length || r.copiesLeft.length || waiting ? EXIT.FAILED : EXIT.OK;
      // The data is gone here, but the user's grant to the app still works at the provider: not a quiet success.
      const message = `the grant could NOT be revoked at the provider (the log says why): account ${r.id} and its data are deleted here, but the user's grant to this app stays valid until they remove it at the provider (Google: https://myaccount.google.com/permissions)`;
      write('stderr', json ? `${JSON.stringify({ error: { code: 'REVOCATION_FAILED', message, exitCode: EXIT.FAILED } })}\n` : `${visible(`calhub accounts disconnect: ${message} [REVOCATION_FAILED]`)}\n`);
      return EXIT.FAILED;
    });
  },
};
