/** Counts every connector call by provider and outcome (ok, or the error's stable code) for /metrics. */
import { isHubError } from '../shared/errors.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { Connected } from './deps.ts';
import { wrapConnector } from './wrap-connector.ts';

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
  return { ...connected, connector: wrapConnector(c, counted) };
}
