import type { CalendarConnector, ConnectorWithPush, PushSubscriber } from '../connectors/index.ts';

type Wrap = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;

/**
 * A wrapper that rebuilds a connector (budget, metrics) must keep its push subscriber, behind the
 * same wrapping: the channel supervisor reaches providers through the engine's connect too.
 */
export function keepPush(from: CalendarConnector, to: CalendarConnector, wrap: Wrap): CalendarConnector {
  const push = (from as Partial<ConnectorWithPush>).push;
  if (!push) return to;
  const wrapped: PushSubscriber = { subscribe: wrap(push.subscribe.bind(push)), renew: wrap(push.renew.bind(push)), unsubscribe: wrap(push.unsubscribe.bind(push)) };
  return Object.assign(to, { push: wrapped });
}
