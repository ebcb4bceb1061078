/**
 * events.watch, calendarList.watch and channels.stop (A.7). Both watches take the same body and
 * answer alike; a calendar-list channel is bound to the authenticated user (the grant's email),
 * not to a calendar, and hears `exists` whenever that user's calendar list changes (push.ts).
 */
import { createHash } from 'node:crypto';
import { calendarFor } from '../access.ts';
import { badRequest, GoogleHttpError } from '../errors.ts';
import { ok, route, type Req, type Res, type Route } from '../http.ts';
import { deliver } from '../push.ts';
import type { Channel, EmulatorState } from '../state.ts';

/** "Default is 604800 seconds" (events.watch reference). */
export const DEFAULT_TTL_SEC = 604_800;

/** What a channel watches: the resource key behind its resourceId, the collection's path, its binding. */
interface Watched {
  key: string;
  path: string;
  calendarId: string | null;
  listOf?: string;
}

/** Validates the watch body, opens the channel, sends `sync` and answers with the Channel resource. */
function openChannel(state: EmulatorState, req: Req, watched: Watched): Res {
  const b = (req.body ?? {}) as { id?: string; token?: string; type?: string; address?: string; params?: { ttl?: string }; expiration?: string | number };
  if (!b.id || b.id.length > 64 || !/^[A-Za-z0-9\-_+/=]+$/.test(b.id)) throw badRequest('Invalid channel id.', 'id');
  if (b.type !== 'web_hook' && b.type !== 'webhook') throw badRequest(`Invalid value for type: ${String(b.type)}`, 'type');
  if (!b.address) throw badRequest('Missing address.', 'address', 'required');
  if (!state.allowHttpPush && !b.address.startsWith('https://')) {
    throw new GoogleHttpError(400, { domain: 'global', reason: 'push.webhookUrlNotHttps', message: `WebHook callback must be HTTPS: ${b.address}` });
  }
  if (b.token !== undefined && b.token.length > 256) throw badRequest('Channel token too long.', 'token');
  if (state.channels.has(b.id)) throw new GoogleHttpError(400, { domain: 'global', reason: 'channelIdNotUnique', message: 'Channel id not unique' });
  const now = state.now();
  const ttl = b.params?.ttl === undefined ? DEFAULT_TTL_SEC : Number(b.params.ttl);
  if (!(ttl > 0)) throw badRequest('Invalid ttl.', 'params.ttl');
  // The more restrictive of the requested ttl and expiration wins (push guide).
  let expirationMs = now + ttl * 1000;
  if (b.expiration !== undefined) expirationMs = Math.min(expirationMs, Number(b.expiration));
  const resourceId = createHash('sha256').update(watched.key).digest('base64url').slice(0, 27);
  const resourceUri = `${req.origin}${watched.path}?alt=json`;
  const ch: Channel = {
    id: b.id, resourceId, resourceUri, calendarId: watched.calendarId, ...(watched.listOf !== undefined ? { listOf: watched.listOf } : {}),
    address: b.address, token: b.token ?? null, expirationMs, messageNumber: 0, messagesSent: 0, stopped: false,
  };
  state.channels.set(ch.id, ch);
  deliver(state, ch, 'sync');
  return ok({
    kind: 'api#channel',
    id: ch.id,
    resourceId,
    resourceUri,
    ...(ch.token !== null ? { token: ch.token } : {}),
    expiration: String(expirationMs),
  });
}

export function watchRoutes(state: EmulatorState): Route[] {
  return [
    route('POST', '/calendar/v3/calendars/:calendarId/events/watch', (req) => {
      const cal = calendarFor(state, req, 'read');
      return openChannel(state, req, { key: `events:${cal.id}`, path: `/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events`, calendarId: cal.id });
    }),
    route('POST', '/calendar/v3/users/me/calendarList/watch', (req) => {
      const email = req.user!.email;
      return openChannel(state, req, { key: `calendarList:${email}`, path: '/calendar/v3/users/me/calendarList', calendarId: null, listOf: email });
    }),
    route('POST', '/calendar/v3/channels/stop', (req) => {
      const b = (req.body ?? {}) as { id?: string; resourceId?: string };
      const ch = b.id ? state.channels.get(b.id) : undefined;
      if (!ch || ch.resourceId !== b.resourceId || ch.stopped) {
        throw new GoogleHttpError(404, { domain: 'global', reason: 'notFound', message: `Channel '${b.id ?? ''}' not found for project` });
      }
      ch.stopped = true;
      return { status: 204 };
    }),
  ];
}
