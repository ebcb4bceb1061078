import type { CalendarConnector, ConnectorWithPush, PushSubscriber } from '../connectors/index.ts';

export type Wrap = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;

/**
 * The same connector with every provider call (its push subscriber's too: the channel supervisor
 * reaches providers through the engine's connect) passed through `wrap`: how budgets and metrics
 * sit in front of any connector without knowing its provider.
 */
export function wrapConnector(c: CalendarConnector, wrap: Wrap): CalendarConnector {
  const connector: CalendarConnector = {
    provider: c.provider,
    capabilities: c.capabilities,
    // Pure, no request: nothing to wrap. Left out, a mirror through these connectors copied a series its target cannot hold as nothing.
    ...(c.cannotHold ? { cannotHold: c.cannotHold.bind(c) } : {}),
    listCalendars: wrap(c.listCalendars.bind(c)),
    listChanges: wrap(c.listChanges.bind(c)),
    getObject: wrap(c.getObject.bind(c)),
    findObjectByUid: wrap(c.findObjectByUid.bind(c)),
    putObject: wrap(c.putObject.bind(c)),
    deleteObject: wrap(c.deleteObject.bind(c)),
    createCalendar: wrap(c.createCalendar.bind(c)),
    deleteCalendar: wrap(c.deleteCalendar.bind(c)),
    renameCalendar: wrap(c.renameCalendar.bind(c)),
  };
  const push = (c as Partial<ConnectorWithPush>).push;
  if (!push) return connector;
  const list = push.calendarList;
  const wrapped: PushSubscriber = {
    lifetime: push.lifetime, ...(push.namesChannels ? { namesChannels: true } : {}), subscribe: wrap(push.subscribe.bind(push)), renew: wrap(push.renew.bind(push)), unsubscribe: wrap(push.unsubscribe.bind(push)),
    ...(push.exists ? { exists: wrap(push.exists.bind(push)) } : {}),
    ...(push.sweepOrphans ? { sweepOrphans: wrap(push.sweepOrphans.bind(push)) } : {}),
    ...(list ? { calendarList: { subscribe: wrap(list.subscribe.bind(list)), renew: wrap(list.renew.bind(list)) } } : {}),
  };
  return Object.assign(connector, { push: wrapped });
}
