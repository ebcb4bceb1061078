/**
 * `POST /webhooks/google` (provider-facts A.7): headers only. The channel id must be ours and the
 * token must match its stored hash; `sync` is the handshake a new channel sends first; anything
 * else becomes a coalesced pull request, and the answer goes out as soon as that is recorded. On an
 * account's calendar-list channel it starts a reading of the list instead, without waiting for it.
 *
 * An unknown channel id answers 200 and is ignored rather than 404: a new channel's `sync` can
 * arrive before the watch call returned and its id was stored, a replaced channel may still send
 * during the overlap, and Google does not retry 4xx anyway, so a 404 would only add log noise.
 * Nothing is pulled for it, so a forged id achieves nothing; its `sync` is counted as a handshake,
 * the rest as `unknown_channel`. A known id with a wrong or missing token is a forgery and answers 403.
 * An id calhub recorded before a watch whose answer never came (hub/channels/opening.ts) is an
 * `orphan`: its token is checked, and its resource id kept so the channel can be stopped.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PushChannel } from '../shared/store/index.ts';
import { errorAnswers, sendError } from './errors.ts';
import type { ReceiverContext } from './receiver-context.ts';
import { secretMatches } from '../shared/channel-secret.ts';

type GoogleHeaders = {
  'x-goog-channel-id': string;
  'x-goog-channel-token'?: string;
  'x-goog-resource-id'?: string;
  'x-goog-resource-state': 'sync' | 'exists' | 'not_exists';
  'x-goog-message-number': string;
};

const headers = {
  type: 'object',
  // Google numbers every message (A.7); without a number a captured notification could be replayed.
  required: ['x-goog-channel-id', 'x-goog-resource-state', 'x-goog-message-number'],
  properties: {
    'x-goog-channel-id': { type: 'string', minLength: 1, maxLength: 64 },
    'x-goog-channel-token': { type: 'string', maxLength: 256 },
    'x-goog-resource-id': { type: 'string', maxLength: 256 },
    'x-goog-resource-state': { type: 'string', enum: ['sync', 'exists', 'not_exists'] },
    'x-goog-message-number': { type: 'string', pattern: '^[0-9]{1,20}$' },
  },
} as const;

export const GOOGLE_BODY_LIMIT = 4096;

const ok = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } as const;

export function registerGoogleReceiver(app: FastifyInstance, rc: ReceiverContext): void {
  // Google sends no body. Whatever comes is refused past a few bytes: 413 as soon as a
  // Content-Length says so (nothing read), or as soon as a streamed body passes the limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: GOOGLE_BODY_LIMIT }, (_req, _body, done) => done(null, undefined));
  app.post<{ Headers: GoogleHeaders }>(
    '/webhooks/google',
    { schema: { tags: ['webhooks'], summary: 'Google Calendar push notifications (headers only): verified, then a pull is queued', headers, response: { 200: ok, ...errorAnswers } } },
    async (req, reply) => {
      const h = req.headers;
      const channel = await rc.channels.get('google', h['x-goog-channel-id']);
      // Google retries a message it got no answer for: the same number again is not counted again.
      const delivery = `google\n${h['x-goog-channel-id']}\n${h['x-goog-message-number']}`;
      if (!channel) {
        // One whose watch answer was lost: its resource id lets the supervisor stop it.
        const orphan = await rc.strayChannel('google', h['x-goog-channel-id'], h['x-goog-channel-token'], h['x-goog-resource-id']);
        // A new channel's handshake routinely comes before its row does; only other messages are strays.
        const verdict = orphan ? 'orphan' : h['x-goog-resource-state'] === 'sync' ? 'handshake' : 'unknown_channel';
        rc.notified('google', (await rc.redeliveries.claim([delivery]))[0] ? verdict : 'redelivered');
        return { status: 'ok' as const };
      }
      const resourceOk = !channel.resourceId || h['x-goog-resource-id'] === channel.resourceId;
      if (!secretMatches(channel.secretHash, h['x-goog-channel-token']) || !resourceOk) {
        rc.rejected('google', channel.calendarId);
        rc.notified('google', 'rejected', channel.calendarId);
        return sendError(reply, 'WEBHOOK_REJECTED', 'the channel token does not match');
      }
      const id = `google:${h['x-goog-channel-id']}`;
      const n = h['x-goog-message-number'];
      // Claimed only with the right token: a forged copy must not make the real message a redelivery.
      // While the first copy is still being recorded the guard's mark is not set yet; this catches it.
      if (!(await rc.redeliveries.claim([delivery]))[0]) {
        rc.notified('google', 'redelivered', channel.calendarId);
        return sendError(reply, 'WEBHOOK_REPLAYED', `message ${n} of this channel was already received`);
      }
      try {
        return await take(rc, reply, channel, id, n, h['x-goog-resource-state']);
      } catch (e) {
        // Not recorded (the answer becomes a 5xx): Google's retry of it must be taken.
        await rc.redeliveries.release([delivery]);
        throw e;
      }
    },
  );
}

async function take(rc: ReceiverContext, reply: FastifyReply, channel: PushChannel, id: string, n: string, state: GoogleHeaders['x-goog-resource-state']) {
  const seen = await rc.guard.check(id, n);
  if (seen === 'replay') {
    rc.notified('google', 'replayed', channel.calendarId);
    return sendError(reply, 'WEBHOOK_REPLAYED', `message ${n} of this channel was already received`);
  }
  if (seen === 'implausible') {
    // The mark stays where it was, so real notifications go on being taken. The pull still runs
    // (coalesced, and the token was right): should Google ever step this far, no change is lost.
    rc.notified('google', 'invalid', channel.calendarId);
    if (channel.kind === 'calendar-list') rc.listChanged(channel.tenantId, channel.accountId);
    else await rc.pull(channel.tenantId, channel.calendarId);
    return sendError(reply, 'WEBHOOK_INVALID_REQUEST', `message number ${n} jumps implausibly far above the channel's last one`);
  }
  const list = channel.kind === 'calendar-list';
  const wait = await rc.guard.take(id);
  if (wait) {
    rc.notified('google', 'rate_limited', channel.calendarId);
    if (list) rc.listLater(id, wait, channel.tenantId, channel.accountId);
    else rc.pullLater(id, wait, channel.tenantId, channel.calendarId);
    return sendError(reply.header('retry-after', String(Math.ceil(wait / 1000))), 'WEBHOOK_RATE_LIMITED', 'too many notifications for this channel');
  }
  if (state === 'sync') {
    await rc.guard.accepted(id, n);
    // No calendar named: a handshake announces no change, so it is not the channel's last notification (LAG).
    rc.notified('google', 'handshake');
    return { status: 'ok' as const };
  }
  // A calendar-list channel (calendarList.watch): the account's list is read again, not a calendar pulled.
  if (list) rc.listChanged(channel.tenantId, channel.accountId);
  else await rc.pull(channel.tenantId, channel.calendarId);
  await rc.guard.accepted(id, n);
  rc.notified('google', 'accepted', channel.calendarId);
  return { status: 'ok' as const };
}
