/** Counts every connector call by provider and outcome (ok, or the error's stable code) for /metrics. */
import type { CalendarConnector } from '../connectors/index.ts';
import { isHubError } from '../shared/errors.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { Connected } from './deps.ts';
import { keepPush } from './wrap-push.ts';

export function instrument(connected: Connected, metrics: Metrics | undefined): Connected {
  if (!metrics) return connected;
  const c = connected.connector;
  const counted = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      const out = await fn(...args);
      metrics.providerRequests.inc({ provider: c.provider, status: 'ok' });
      return out;
    } catch (e) {
      metrics.providerRequests.inc({ provider: c.provider, status: isHubError(e) ? e.code : 'error' });
      throw e;
    }
  };
  const connector: CalendarConnector = {
    provider: c.provider,
    capabilities: c.capabilities,
    listCalendars: counted(c.listCalendars.bind(c)),
    listChanges: counted(c.listChanges.bind(c)),
    getObject: counted(c.getObject.bind(c)),
    findObjectByUid: counted(c.findObjectByUid.bind(c)),
    putObject: counted(c.putObject.bind(c)),
    deleteObject: counted(c.deleteObject.bind(c)),
  };
  return { ...connected, connector: keepPush(c, connector, counted) };
}
