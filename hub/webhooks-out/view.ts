/**
 * An endpoint as the API and the CLI show it, the same in both: its settings, why it is disabled,
 * its health (failing since, backoff steps, next probe, last error) and how many messages it owes.
 */
import type { WebhookEndpointRow } from '../../shared/store/index.ts';

/** Owed messages are counted up to this many per endpoint: the count stays one short index scan. */
export const OWED_COUNT_CAP = 10_000;

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  /** The event types it receives; `["*"]`: every type, including ones added in later versions. */
  events: string[];
  allEvents: boolean;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  disabledAt: string | null;
  health: {
    state: 'healthy' | 'failing';
    failingSince: string | null;
    consecutiveFailures: number;
    nextRetryAt: string | null;
    lastErrorAt: string | null;
    lastErrorStatus: number | null;
    lastError: string | null;
  };
  pendingMessages: number;
  pendingMessagesCapped: boolean;
  /** During a secret rotation's overlap: until when the replaced secret still signs (each delivery carries both signatures); null otherwise. */
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The dispatcher records `HTTP 500: text/html, 1234 bytes` (send.ts: never the answer's text);
 * the endpoint's health keeps the status only, the delivery log the rest too.
 */
export const errorWithoutBody = (error: string | null): string | null => (error === null ? null : error.replace(/^(HTTP \d{3}):[\s\S]*$/, '$1'));

export function endpointView(r: WebhookEndpointRow, owed: number, now = Date.now()): EndpointView {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.eventTypes,
    allEvents: r.eventTypes.includes('*'),
    status: r.status,
    disabledReason: r.disabledReason,
    disabledAt: r.disabledAt,
    health: {
      state: r.failures > 0 ? 'failing' : 'healthy',
      failingSince: r.failingSince,
      consecutiveFailures: r.failures,
      nextRetryAt: r.failures > 0 ? r.retryAt : null,
      lastErrorAt: r.lastErrorAt,
      lastErrorStatus: r.lastErrorStatus,
      lastError: errorWithoutBody(r.lastError),
    },
    pendingMessages: Math.min(owed, OWED_COUNT_CAP),
    pendingMessagesCapped: owed >= OWED_COUNT_CAP,
    // An overlap that ended (or was cut short) signs with the current secret alone.
    previousSecretValidUntil: r.previousSecretUntil && Date.parse(r.previousSecretUntil) > now ? r.previousSecretUntil : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
