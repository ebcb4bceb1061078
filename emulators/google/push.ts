/**
 * Push delivery (A.7): headers only, a `sync` message (number 1) right after watch, then
 * `exists` per change, `not_exists` when the watched calendar goes away; increasing message
 * numbers per channel; nothing after expiry or stop; a share of messages can be dropped; a
 * receiver answering 500/502/503/504 gets the message again with exponential backoff.
 * Calendar-list channels (calendarList.watch) hear `exists` whenever their user's list changes.
 */
import type { Channel, Delivery, EmulatorState } from './state.ts';

/**
 * The next message number of a channel: 1 for the sync message, then increasing with gaps of 1 to
 * 3, because Google's numbers increase but are not sequential (A.7): a receiver must neither
 * expect every number nor accept one it has already seen.
 */
export function nextMessageNumber(ch: Channel): number {
  ch.messagesSent += 1;
  ch.messageNumber = ch.messageNumber === 0 ? 1 : ch.messageNumber + 1 + (ch.messagesSent % 3);
  return ch.messageNumber;
}

function shouldDrop(state: EmulatorState, ch: Channel): boolean {
  if (state.dropShare <= 0) return false;
  // Deterministic spread per channel: drop when the running share crosses an integer.
  const n = ch.messagesSent - 1;
  return Math.floor(n * state.dropShare) > Math.floor((n - 1) * state.dropShare);
}

export function deliver(state: EmulatorState, ch: Channel, resourceState: 'sync' | 'exists' | 'not_exists'): void {
  const messageNumber = nextMessageNumber(ch);
  const record: Delivery = { channelId: ch.id, state: resourceState, messageNumber, dropped: false, status: null, attempts: 0 };
  state.deliveries.push(record);
  if (resourceState !== 'sync' && shouldDrop(state, ch)) {
    record.dropped = true;
    return;
  }
  const headers: Record<string, string> = {
    'x-goog-channel-id': ch.id,
    'x-goog-resource-id': ch.resourceId,
    'x-goog-resource-uri': ch.resourceUri,
    'x-goog-resource-state': resourceState,
    'x-goog-message-number': String(messageNumber),
    // Human-readable, as Google sends it (A.7).
    'x-goog-channel-expiration': new Date(ch.expirationMs).toUTCString(),
    'content-length': '0',
  };
  if (ch.token !== null) headers['x-goog-channel-token'] = ch.token;
  const p = post(state, ch.address, headers, record).finally(() => state.pendingDeliveries.delete(p));
  state.pendingDeliveries.add(p);
}

const RETRIED = new Set([500, 502, 503, 504]);

async function post(state: EmulatorState, address: string, headers: Record<string, string>, record: Delivery): Promise<void> {
  const { attempts, baseMs } = state.pushRetry;
  for (let i = 0; ; i++) {
    record.attempts += 1;
    try {
      const r = await fetch(address, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
      record.status = r.status;
      await r.arrayBuffer().catch(() => undefined);
      if (!RETRIED.has(r.status) || i >= attempts) return;
    } catch (e) {
      // A receiver that cannot be reached gets no retries: retries are for its 5xx answers (A.7).
      record.error = e instanceof Error ? e.message : String(e);
      return;
    }
    await new Promise((r) => setTimeout(r, baseMs * 2 ** i));
  }
}

function live(state: EmulatorState, keep: (c: Channel) => boolean): Channel[] {
  const now = state.now();
  return [...state.channels.values()].filter((c) => keep(c) && !c.stopped && c.expirationMs > now);
}

export function activeChannels(state: EmulatorState, calendarId: string): Channel[] {
  return live(state, (c) => c.calendarId === calendarId);
}

/** The live calendar-list channels of these users. */
export function activeListChannels(state: EmulatorState, emails: Iterable<string>): Channel[] {
  const users = new Set(emails);
  return live(state, (c) => c.listOf !== undefined && users.has(c.listOf));
}

export function installPush(state: EmulatorState): void {
  state.changeListener = (calendarId) => {
    const exists = state.calendars.has(calendarId);
    for (const ch of activeChannels(state, calendarId)) deliver(state, ch, exists ? 'exists' : 'not_exists');
  };
  // A calendar list never goes away, so its channels only ever hear `exists`.
  state.listChangeListener = (emails) => {
    for (const ch of activeListChannels(state, emails)) deliver(state, ch, 'exists');
  };
}

export async function flushDeliveries(state: EmulatorState): Promise<void> {
  while (state.pendingDeliveries.size > 0) await Promise.allSettled([...state.pendingDeliveries]);
}
