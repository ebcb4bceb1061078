import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { ago, formatSeconds, parseDuration } from '../duration.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');
/** As hub/channels/list-channels.ts CHANNEL_LIST_STATES (not imported: --help would load the hub). */
const STATES = ['new', 'active', 'renew', 'removed', 'polling', 'silent', 'fell-back'] as const;

export const channelsList: Command = {
  name: 'channels list',
  usage: `calhub channels list [--tenant <id>] [--provider <google|microsoft|caldav>] [--state <${STATES.join('|')}>] [--json]`,
  summary: summaryOf('channels list'),
  options: { tenant: { type: 'string' }, provider: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const state = values.state === undefined ? undefined : String(values.state);
    if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new ValidationError(`--state must be one of ${STATES.join(', ')}`);
    return withHub({}, async (hub) => {
      const api = await hubApi();
      const which = { tenantId: values.tenant ? String(values.tenant) : undefined };
      const rows = await api.listChannels(hub, { ...which, ...(values.provider ? { provider: String(values.provider) } : {}), ...(state ? { state: state as (typeof STATES)[number] } : {}) });
      // Stops that failed (a disconnect's) and lost watches awaiting their handshake: the channel may still be open at the provider.
      const stops = await api.listQueuedStops(hub, which);
      const channels = () =>
        rows.length === 0
          ? state || values.provider
            ? 'no channels match'
            : 'no push channels (they need CALHUB_PUBLIC_URL and a Google or Microsoft account)'
          : table([
              ['CALENDAR', 'TENANT', 'PROVIDER', 'NAME', 'STATE', 'EXPIRES IN', 'LAST NOTIFICATION', 'LAST PULL', 'LAG', 'ERROR'],
              ...rows.map((c) => [c.calendarId, c.tenantId, c.provider, c.calendar ?? '(removed)', c.state, formatSeconds(c.expiresInSeconds), ago(c.lastNotificationAt), ago(c.lastPullAt), formatSeconds(c.lagSeconds), c.lastError ?? '']),
            ]);
      const stopping = () =>
        table([
          ['CHANNEL', 'TENANT', 'ACCOUNT', 'PROVIDER', 'STATE', 'TRIES', 'NEXT TRY IN', 'EXPIRES', 'ERROR'],
          ...stops.map((s) => [s.channelId, s.tenantId, s.accountId, s.provider, s.state, String(s.tries), s.nextTryInSeconds === null ? `- (dropped at ${s.dropAt} unless a notification names it)` : formatSeconds(s.nextTryInSeconds), s.expiresAt, s.lastError ?? '']),
        ]);
      print(Boolean(values.json), [...rows, ...stops], () => (stops.length ? `${channels()}\n\nqueued stops (retried until they succeed or the channel expires):\n${stopping()}` : channels()));
      return EXIT.OK;
    });
  },
};

export const channelsRenew: Command = {
  name: 'channels renew',
  usage: 'calhub channels renew <calendarId> | --expiring-within <duration> [--tenant <id>] [--json]',
  summary: summaryOf('channels renew'),
  options: { 'expiring-within': { type: 'string' }, tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const within = values['expiring-within'];
    if (Boolean(within) === Boolean(positionals[0])) throw new ValidationError('name one calendar id, or pass --expiring-within <duration> (e.g. 1h)');
    const which = within ? { expiringWithinMs: parseDuration(String(within), '--expiring-within'), tenantId: values.tenant ? String(values.tenant) : undefined } : { calendarId: positionals[0]! };
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const out = await (await hubApi()).renewChannels(hub, which);
      print(Boolean(values.json), out, () =>
        out.length === 0
          ? 'no channel to renew'
          : table([['CALENDAR', 'PROVIDER', 'OUTCOME', 'CHANNEL', 'EXPIRES', 'ERROR'], ...out.map((o) => [o.calendarId, o.provider, o.outcome, o.after.channelId ?? '-', o.after.expiresAt ?? '-', o.error ?? ''])]),
      );
      return out.some((o) => o.outcome === 'failed') ? EXIT.FAILED : EXIT.OK;
    });
  },
};
