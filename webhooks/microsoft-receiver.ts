/**
 * `POST /webhooks/microsoft` (provider-facts B.6). `?validationToken=` is Graph's handshake when a
 * subscription is created: the token goes back as text/plain. Otherwise the body is a batch of
 * change or lifecycle notifications, possibly for several subscriptions: every item's clientState
 * is checked against its own subscription's stored hash. Accepted items queue pulls (and, for
 * lifecycle events, mark the channel for the supervisor); the answer is 202 once that is recorded.
 *
 * Items for unknown subscriptions are ignored, as for Google (a subscription deleted or replaced
 * moments ago). A batch whose every item failed its clientState check answers 403; a mixed batch
 * answers 202, because the good items were processed and a 4xx would tell Graph otherwise.
 */
import type { FastifyInstance } from 'fastify';
import { errorAnswers, sendError } from './errors.ts';
import type { ReceiverContext } from './receiver-context.ts';
import { secretMatches } from '../shared/channel-secret.ts';

type Lifecycle = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
interface Item {
  subscriptionId: string;
  clientState?: string | null;
  changeType?: string;
  lifecycleEvent?: Lifecycle;
}

const item = {
  type: 'object',
  required: ['subscriptionId'],
  properties: {
    subscriptionId: { type: 'string', minLength: 1, maxLength: 200 },
    clientState: { type: ['string', 'null'], maxLength: 256 },
    changeType: { type: 'string', maxLength: 64 },
    lifecycleEvent: { type: 'string', enum: ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] },
  },
} as const;

const notifications = {
  type: 'object',
  required: ['value'],
  properties: { value: { type: 'array', minItems: 1, maxItems: 1000, items: item } },
} as const;

export const MICROSOFT_BODY_LIMIT = 256 * 1024;

const accepted = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['accepted'] } } } as const;

export function registerMicrosoftReceiver(app: FastifyInstance, rc: ReceiverContext): void {
  app.post<{ Querystring: { validationToken?: string }; Body: { value: Item[] } | string | undefined }>(
    '/webhooks/microsoft',
    {
      // A batch is ~1 KB per notification; a body past this is not Graph's, refused with 413 unread.
      bodyLimit: MICROSOFT_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'Microsoft Graph change and lifecycle notifications; `?validationToken=` is echoed as text/plain',
        querystring: { type: 'object', properties: { validationToken: { type: 'string', maxLength: 4096 } } },
        body: { content: { 'application/json': { schema: notifications }, 'text/plain': { schema: { type: 'string', maxLength: 4096 } } } },
        response: {
          200: { description: 'the validation token, echoed', content: { 'text/plain': { schema: { type: 'string' } } } },
          202: accepted,
          ...errorAnswers,
        },
      },
    },
    async (req, reply) => {
      const token = req.query.validationToken;
      // Anyone can have any text echoed here (Graph's protocol): nosniff keeps it from being read as HTML.
      if (token !== undefined) rc.notified('microsoft', 'validation');
      if (token !== undefined) return reply.code(200).type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(token);
      if (typeof req.body !== 'object' || req.body === null) {
        rc.notified('microsoft', 'invalid');
        return sendError(reply, 'WEBHOOK_INVALID_REQUEST', 'expected a JSON body of notifications');
      }
      // One token per subscription per batch: Graph batches a burst of changes, and that is one delivery.
      const charged = new Map<string, Promise<number>>();
      const outcomes = await Promise.all(req.body.value.map((n) => handle(rc, n, charged)));
      if (outcomes.includes('rejected') && !outcomes.includes('accepted')) return sendError(reply, 'WEBHOOK_REJECTED', 'clientState does not match the subscription');
      // Graph retries a throttled batch later; a batch with any accepted item was processed.
      if (outcomes.includes('limited') && !outcomes.includes('accepted')) return sendError(reply.header('retry-after', '1'), 'WEBHOOK_RATE_LIMITED', 'too many notifications for this subscription');
      return reply.code(202).send({ status: 'accepted' });
    },
  );
}

async function handle(rc: ReceiverContext, n: Item, charged: Map<string, Promise<number>>): Promise<'accepted' | 'rejected' | 'ignored' | 'limited'> {
  const channel = await rc.channels.get('microsoft', n.subscriptionId);
  if (!channel) {
    rc.notified('microsoft', 'unknown_channel');
    return 'ignored';
  }
  if (!secretMatches(channel.secretHash, n.clientState)) {
    rc.rejected('microsoft', channel.calendarId);
    rc.notified('microsoft', 'rejected', channel.calendarId);
    return 'rejected';
  }
  const { tenantId, calendarId } = channel;
  // Lifecycle notifications are rare and losing one loses the subscription: never rate limited.
  if (!n.lifecycleEvent) {
    if (!charged.has(n.subscriptionId)) charged.set(n.subscriptionId, rc.guard.take(`microsoft:${n.subscriptionId}`));
    const wait = await charged.get(n.subscriptionId)!;
    if (wait > 0) {
      rc.notified('microsoft', 'rate_limited', calendarId);
      rc.pullLater(`microsoft:${n.subscriptionId}`, wait, tenantId, calendarId);
      return 'limited';
    }
  }
  if (n.lifecycleEvent === 'reauthorizationRequired') await rc.channelAction(tenantId, calendarId, 'renew');
  else if (n.lifecycleEvent === 'subscriptionRemoved') {
    rc.channels.forget('microsoft', n.subscriptionId);
    await rc.channelAction(tenantId, calendarId, 'removed');
    await rc.pull(tenantId, calendarId);
  } else await rc.pull(tenantId, calendarId);
  // reauthorizationRequired pulls nothing: not stamped as the channel's last notification, whose LAG would then only grow.
  rc.notified('microsoft', n.lifecycleEvent ? 'lifecycle' : 'accepted', n.lifecycleEvent === 'reauthorizationRequired' ? undefined : calendarId);
  return 'accepted';
}
