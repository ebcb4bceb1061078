/**
 * `POST /webhooks/microsoft` (provider-facts B.6). `?validationToken=` is Graph's handshake when a
 * subscription is created: the token goes back as text/plain. Otherwise the body is a batch of
 * change or lifecycle notifications, possibly for several subscriptions: every item's clientState
 * is checked against its own subscription's stored hash. Accepted items queue pulls (and, for
 * lifecycle events, mark the channel for the supervisor); the answer is 202 once that is recorded.
 *
 * Graph wants a 2xx within 3 s and resends the whole batch otherwise: the subscriptions of a batch
 * are read in one query, its items claimed against redeliveries in one Redis round trip, and the
 * work is done once per calendar, not per item. Should that work still take longer than
 * ANSWER_BUDGET_MS, the answer goes out anyway and the work finishes behind it (logged if it
 * fails; the supervisor's tick and the poll are the backstop). An item seen within the redelivery
 * window (redeliveries.ts) is counted `redelivered` and not acted on again.
 *
 * Items for unknown subscriptions are ignored, as for Google (a subscription deleted or replaced
 * moments ago). A batch whose every item failed its clientState check answers 403; a mixed batch
 * answers 202, because the good items were processed and a 4xx would tell Graph otherwise.
 */
import type { FastifyInstance } from 'fastify';
import type { PushChannel } from '../shared/store/index.ts';
import { errorAnswers, sendError } from './errors.ts';
import type { ReceiverContext } from './receiver-context.ts';
import { secretMatches } from '../shared/channel-secret.ts';

type Lifecycle = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
interface Item {
  subscriptionId: string;
  clientState?: string | null;
  changeType?: string;
  lifecycleEvent?: Lifecycle;
  resource?: string;
  subscriptionExpirationDateTime?: string;
  resourceData?: { id?: string; '@odata.etag'?: string };
}

const item = {
  type: 'object',
  required: ['subscriptionId'],
  properties: {
    subscriptionId: { type: 'string', minLength: 1, maxLength: 200 },
    clientState: { type: ['string', 'null'], maxLength: 256 },
    changeType: { type: 'string', maxLength: 64 },
    lifecycleEvent: { type: 'string', enum: ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] },
    resource: { type: 'string', maxLength: 1024 },
    subscriptionExpirationDateTime: { type: 'string', maxLength: 64 },
    resourceData: { type: 'object', properties: { id: { type: 'string', maxLength: 1024 }, '@odata.etag': { type: 'string', maxLength: 256 } } },
  },
} as const;

const notifications = {
  type: 'object',
  required: ['value'],
  properties: { value: { type: 'array', minItems: 1, maxItems: 1000, items: item } },
} as const;

export const MICROSOFT_BODY_LIMIT = 256 * 1024;
/** Past this the answer goes out and the batch's work finishes behind it: Graph counts >2.9 s as slow (B.6). */
export const ANSWER_BUDGET_MS = 1_500;

const accepted = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['accepted'] } } } as const;

/**
 * What makes an item the same item: a resent batch repeats it exactly. The etag tells a later
 * change to the same event from a resend of the earlier one; the expiry a later lifecycle notice.
 */
const itemKey = (n: Item): string =>
  ['microsoft', n.subscriptionId, n.lifecycleEvent ?? n.changeType ?? '', n.resource ?? '', n.resourceData?.id ?? '', n.resourceData?.['@odata.etag'] ?? '', n.subscriptionExpirationDateTime ?? ''].join('\n');

interface Taken {
  n: Item;
  key: string;
  channel: PushChannel;
}

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
      const items = req.body.value;
      const channels = await rc.channels.getMany('microsoft', items.map((n) => n.subscriptionId));
      let rejected = 0;
      // A forged item is never remembered: it must not make the real one look like a redelivery.
      const verified = items.filter((n) => {
        const channel = channels.get(n.subscriptionId);
        if (!channel || secretMatches(channel.secretHash, n.clientState)) return true;
        rc.rejected('microsoft', channel.calendarId);
        rc.notified('microsoft', 'rejected', channel.calendarId);
        rejected += 1;
        return false;
      });
      const keys = verified.map(itemKey);
      const fresh = await rc.redeliveries.claim(keys);
      const taken: Taken[] = [];
      let redelivered = 0;
      verified.forEach((n, i) => {
        const channel = channels.get(n.subscriptionId);
        if (!fresh[i]) {
          redelivered += 1;
          rc.notified('microsoft', 'redelivered');
        }
        else if (!channel) rc.notified('microsoft', 'unknown_channel');
        else taken.push({ n, key: keys[i]!, channel });
      });
      if (rejected > 0 && taken.length === 0 && redelivered === 0) return sendError(reply, 'WEBHOOK_REJECTED', 'clientState does not match the subscription');
      const { go, limited } = await charge(rc, taken);
      // Graph retries a throttled batch later; a batch with any accepted item was processed.
      if (limited > 0 && go.length === 0 && redelivered === 0) return sendError(reply.header('retry-after', '1'), 'WEBHOOK_RATE_LIMITED', 'too many notifications for this subscription');
      const work = act(rc, go);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ANSWER_BUDGET_MS)));
      const done = await Promise.race([work, late]).finally(() => clearTimeout(timer));
      if (done === 'late') {
        void work.catch((e: unknown) => req.log.warn({ err: e }, 'a Graph batch answered before its work was done could not be recorded in full; the next maintenance tick and poll catch up'));
      }
      return reply.code(202).send({ status: 'accepted' });
    },
  );
}

/** Change notifications take one token per subscription per batch: Graph batches a burst of changes, and that is one delivery. */
async function charge(rc: ReceiverContext, taken: Taken[]): Promise<{ go: Taken[]; limited: number }> {
  const waits = new Map<string, Promise<number>>();
  for (const t of taken) {
    // Lifecycle notifications are rare and losing one loses the subscription: never rate limited.
    if (!t.n.lifecycleEvent && !waits.has(t.n.subscriptionId)) waits.set(t.n.subscriptionId, rc.guard.take(`microsoft:${t.n.subscriptionId}`));
  }
  const go: Taken[] = [];
  let limited = 0;
  for (const t of taken) {
    const wait = t.n.lifecycleEvent ? 0 : await waits.get(t.n.subscriptionId)!;
    if (wait <= 0) {
      go.push(t);
      continue;
    }
    limited += 1;
    rc.notified('microsoft', 'rate_limited', t.channel.calendarId);
    rc.pullLater(`microsoft:${t.n.subscriptionId}`, wait, t.channel.tenantId, t.channel.calendarId);
  }
  return { go, limited };
}

/**
 * Once per calendar, however many items name it: the lifecycle marks of the whole batch (one store
 * write per tenant and kind), then one pull per calendar. Items are counted once their calendar's
 * work is recorded; work that failed has its items forgotten by the redelivery memory, so Graph's
 * retry (after the 5xx this becomes, when it failed before the answer) is taken.
 */
async function act(rc: ReceiverContext, go: Taken[]): Promise<void> {
  const byCalendar = new Map<string, Taken[]>();
  for (const t of go) {
    const list = byCalendar.get(t.channel.calendarId);
    if (list) list.push(t);
    else byCalendar.set(t.channel.calendarId, [t]);
  }
  const calendars = [...byCalendar.values()].map((ts) => ({ ts, tenantId: ts[0]!.channel.tenantId, calendarId: ts[0]!.channel.calendarId }));
  const having = (event: Lifecycle) => calendars.filter((c) => c.ts.some((t) => t.n.lifecycleEvent === event));
  try {
    await rc.channelActions(having('reauthorizationRequired'), 'renew');
    for (const t of go) if (t.n.lifecycleEvent === 'subscriptionRemoved') rc.channels.forget('microsoft', t.n.subscriptionId);
    await rc.channelActions(having('subscriptionRemoved'), 'removed');
  } catch (e) {
    await rc.redeliveries.release(go.map((t) => t.key));
    throw e;
  }
  await Promise.all(calendars.map(async ({ ts, tenantId, calendarId }) => {
    try {
      // reauthorizationRequired alone pulls nothing.
      if (ts.some((t) => t.n.lifecycleEvent !== 'reauthorizationRequired')) await rc.pull(tenantId, calendarId);
    } catch (e) {
      await rc.redeliveries.release(ts.map((t) => t.key));
      throw e;
    }
    // reauthorizationRequired pulls nothing: not stamped as the channel's last notification, whose LAG would then only grow.
    for (const t of ts) rc.notified('microsoft', t.n.lifecycleEvent ? 'lifecycle' : 'accepted', t.n.lifecycleEvent === 'reauthorizationRequired' ? undefined : calendarId);
  }));
}
