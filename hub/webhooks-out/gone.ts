/**
 * A receiver answering 410 Gone says its URL is gone for good: the endpoint is disabled at that
 * answer, whether it came to a delivery or to a test send (`webhooks test`), with the same reason.
 */
import { webhookDeliveries as wd, type Db } from '../../shared/store/index.ts';

export const goneReason = (at: Date): string =>
  `the receiver answered 410 Gone at ${at.toISOString()}: calhub stops sending; enable it (or replay) once the URL takes webhooks again`;

/** Records the failure in the endpoint's health and disables it (an endpoint already disabled keeps its first reason). */
export async function disableGone(db: Db, endpointId: string, at: Date): Promise<void> {
  await wd.endpointFailed(db, endpointId, at, at, { status: 410, error: 'HTTP 410' }, () => 0);
  await wd.disableEndpoint(db, endpointId, goneReason(at), at);
}
