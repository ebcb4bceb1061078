/**
 * Push delivery (A.7): headers only, a `sync` message (number 1) right after watch, then
 * `exists` per change, `not_exists` when the watched calendar goes away; increasing message
 * numbers per channel; nothing after expiry or stop; a share of messages can be dropped.
 */
import type { Channel, EmulatorState } from './state.ts';

function shouldDrop(state: EmulatorState, ch: Channel): boolean {
  if (state.dropShare <= 0) return false;
  // Deterministic spread per channel: drop when the running share crosses an integer.
  const n = ch.messageNumber - 1;
  return Math.floor(n * state.dropShare) > Math.floor((n - 1) * state.dropShare);
}

export function deliver(state: EmulatorState, ch: Channel, resourceState: 'sync' | 'exists' | 'not_exists'): void {
  ch.messageNumber += 1;
  const record = { channelId: ch.id, state: resourceState, messageNumber: ch.messageNumber, dropped: false, status: null as number | null } as
    EmulatorState['deliveries'][number];
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
    'x-goog-message-number': String(ch.messageNumber),
    // Human-readable, as Google sends it (A.7).
    'x-goog-channel-expiration': new Date(ch.expirationMs).toUTCString(),
    'content-length': '0',
  };
  if (ch.token !== null) headers['x-goog-channel-token'] = ch.token;
  const p = fetch(ch.address, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) })
    .then(async (r) => {
      record.status = r.status;
      await r.arrayBuffer().catch(() => undefined);
    })
    .catch((e: unknown) => {
      record.error = e instanceof Error ? e.message : String(e);
    })
    .finally(() => state.pendingDeliveries.delete(p));
  state.pendingDeliveries.add(p);
}

export function activeChannels(state: EmulatorState, calendarId: string): Channel[] {
  const now = state.now();
  return [...state.channels.values()].filter((c) => c.calendarId === calendarId && !c.stopped && c.expirationMs > now);
}

export function installPush(state: EmulatorState): void {
  state.changeListener = (calendarId) => {
    const exists = state.calendars.has(calendarId);
    for (const ch of activeChannels(state, calendarId)) deliver(state, ch, exists ? 'exists' : 'not_exists');
  };
}

export async function flushDeliveries(state: EmulatorState): Promise<void> {
  while (state.pendingDeliveries.size > 0) await Promise.allSettled([...state.pendingDeliveries]);
}
