/**
 * `POST /webhooks/google` (provider-facts A.7): headers only. The channel id must be ours and the
 * token must match its stored hash; `sync` is the handshake a new channel sends first; anything
 * else becomes a coalesced pull request, and the answer goes out as soon as that is recorded.
 *
 * An unknown channel id answers 200 and is ignored rather than 404: a new channel's `sync` can
 * arrive before the watch call returned and its id was stored, a replaced channel may still send
 * during the overlap, and Google does not retry 4xx anyway, so a 404 would only add log noise.
 * Nothing is pulled for it, so a forged id achieves nothing. A known id with a wrong or missing
 * token is a forgery and answers 403.
 */
import type { FastifyInstance } from 'fastify';
import { errorAnswers, sendError } from './errors.ts';
import type { ReceiverContext } from './receiver-context.ts';
import { secretMatches } from '../shared/channel-secret.ts';

type GoogleHeaders = {
  'x-goog-channel-id': string;
  'x-goog-channel-token'?: string;
  'x-goog-resource-id'?: string;
  'x-goog-resource-state': 'sync' | 'exists' | 'not_exists';
  'x-goog-message-number'?: string;
};

const headers = {
  type: 'object',
  required: ['x-goog-channel-id', 'x-goog-resource-state'],
  properties: {
    'x-goog-channel-id': { type: 'string', minLength: 1, maxLength: 64 },
    'x-goog-channel-token': { type: 'string', maxLength: 256 },
    'x-goog-resource-id': { type: 'string', maxLength: 256 },
    'x-goog-resource-state': { type: 'string', enum: ['sync', 'exists', 'not_exists'] },
    'x-goog-message-number': { type: 'string', pattern: '^[0-9]{1,20}$' },
  },
} as const;

const ok = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } as const;

export function registerGoogleReceiver(app: FastifyInstance, rc: ReceiverContext): void {
  // Google sends no body; whatever comes is drained unread instead of parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => {
    payload.resume();
    payload.on('end', () => done(null, undefined));
    payload.on('error', (e) => done(e, undefined));
  });
  app.post<{ Headers: GoogleHeaders }>(
    '/webhooks/google',
    { schema: { tags: ['webhooks'], summary: 'Google Calendar push notifications (headers only): verified, then a pull is queued', headers, response: { 200: ok, ...errorAnswers } } },
    async (req, reply) => {
      const h = req.headers;
      const channel = await rc.channels.get('google', h['x-goog-channel-id']);
      if (!channel) {
        rc.notified('google', 'unknown_channel');
        return { status: 'ok' as const };
      }
      const resourceOk = !channel.resourceId || h['x-goog-resource-id'] === channel.resourceId;
      if (!secretMatches(channel.secretHash, h['x-goog-channel-token']) || !resourceOk) {
        rc.rejected('google', channel.calendarId);
        rc.notified('google', 'rejected', channel.calendarId);
        return sendError(reply, 'WEBHOOK_REJECTED', 'the channel token does not match');
      }
      if (h['x-goog-resource-state'] === 'sync') {
        rc.notified('google', 'handshake', channel.calendarId);
        return { status: 'ok' as const };
      }
      await rc.pull(channel.tenantId, channel.calendarId);
      rc.notified('google', 'accepted', channel.calendarId);
      return { status: 'ok' as const };
    },
  );
}
