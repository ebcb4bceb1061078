/** Dispatches /v1.0/(me|users/{id})/… and /v1.0/subscriptions to their handlers. */
import type { IncomingMessage } from 'node:http';
import { keepResponses } from './attendee-status.ts';
import { deleteCalendar } from './calendar-delete.ts';
import { updateCalendar } from './calendar-update.ts';
import { handleDelta } from './delta.ts';
import {
  checkIfMatch, eventInput, instances, itemOfTarget, listEvents, renderOptions, resolveOr404, viewEvents,
} from './graph-events.ts';
import { GraphHttpError, readJson, type Prefs } from './http.ts';
import { newId, type Mailbox, type StoredCalendar } from './model.ts';
import type { Grant } from './oauth.ts';
import { sendMeetingMessages } from './meeting-messages.ts';
import { ALLOWED_PROVIDERS } from './online-meetings.ts';
import { isResponseAction, respond } from './responses.ts';
import { getSchedule } from './schedule.ts';
import type { EmulatorState } from './state.ts';
import { renderItem } from './views.ts';
import { zoneToIana } from './zones.ts';
import { ianaToWindows } from '../../shared/time/index.ts';

export interface GraphResult { status: number; body?: unknown; headers?: Record<string, string> }
export interface Caller { mb: Mailbox; appId: string; scopes: string[]; grant: Grant }

const NOT_FOUND = () => new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const ok = (body: unknown): GraphResult => ({ status: 200, body });

function renderCalendar(mb: Mailbox, c: StoredCalendar) {
  return {
    id: c.id, name: c.name, color: c.color, hexColor: c.hexColor ?? '', isDefaultCalendar: c.isDefault, changeKey: c.changeKey ?? c.id.slice(-8),
    canShare: c.canEdit, canViewPrivateItems: true, canEdit: c.canEdit, allowedOnlineMeetingProviders: ALLOWED_PROVIDERS,
    defaultOnlineMeetingProvider: 'teamsForBusiness', isTallyingResponses: true, isRemovable: !c.isDefault,
    owner: { name: mb.displayName, address: mb.email },
  };
}

function calendarIdOf(mb: Mailbox, seg: string | undefined): string {
  if (seg === undefined) return [...mb.calendars.values()].find((c) => c.isDefault)!.id;
  const id = decodeURIComponent(seg);
  if (!mb.calendars.has(id)) throw NOT_FOUND();
  return id;
}

export async function routeGraph(s: EmulatorState, req: IncomingMessage, url: URL, caller: Caller, prefs: Prefs): Promise<GraphResult> {
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const base = `${s.baseUrl}${url.pathname}`;
  const rel = url.pathname.slice('/v1.0'.length);
  const writes = method !== 'GET';
  const needed = writes && !rel.startsWith('/subscriptions') && !rel.endsWith('/getSchedule') ? ['calendars.readwrite'] : ['calendars.read', 'calendars.readwrite'];
  if (!caller.scopes.some((sc) => needed.includes(sc.toLowerCase().replace('https://graph.microsoft.com/', '')))) {
    throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
  if (rel.startsWith('/subscriptions')) return routeSubscriptions(s, req, rel, caller, prefs);
  const m = /^\/(?:me|users\/([^/]+))(\/.*)?$/.exec(rel);
  if (!m) throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${rel.split('/')[1] ?? ''}'.`);
  const mb = m[1] ? s.mailboxByAny(decodeURIComponent(m[1])) : caller.mb;
  if (!mb) throw new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${m[1]}' is invalid.`);
  if (mb !== caller.mb) throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const p = (m[2] ?? '').split('/').filter(Boolean);
  const key = `${method} ${p.map((x, i) => (i % 2 === 1 && (p[i - 1] === 'calendars' || p[i - 1] === 'events') ? '{id}' : x)).join('/')}`;
  const id1 = p[1] === undefined ? undefined : decodeURIComponent(p[1]);
  const last = p[p.length - 1] ?? '';
  if (method === 'POST' && isResponseAction(last) && /^POST (?:calendars\/\{id\}\/)?events\/\{id\}\/\w+$/.test(key)) {
    const eventId = decodeURIComponent(p[p.length - 2]!);
    const t = resolveOr404(s, mb, eventId);
    itemOfTarget(mb, t);
    respond(s.store, s.meetingMessages, mb, t, eventId, last, await readJson(req));
    return { status: 202 };
  }
  switch (key) {
    case 'GET ':
      return ok({ id: mb.id, displayName: mb.displayName, mail: mb.mail === null ? null : mb.email, userPrincipalName: mb.email });
    case 'GET mailboxSettings':
      // Graph reports the mailbox zone by its Windows name when Outlook set it (the usual case).
      return ok({ timeZone: ianaToWindows(zoneToIana(mb.timeZone) ?? 'UTC') ?? mb.timeZone, workingHours: { timeZone: { name: mb.timeZone } } });
    case 'GET calendars': {
      // Paged like Graph's other collections: 10 a page unless $top says otherwise (FIELD: the
      // default is not documented for calendars), the rest behind an @odata.nextLink with $skip.
      const top = Math.min(Number(q.get('$top') ?? 10), 1000);
      const skip = Number(q.get('$skip') ?? 0);
      if (!(top >= 1) || !(skip >= 0)) throw new GraphHttpError(400, 'BadRequest', 'Invalid $top or $skip value.');
      const all = [...mb.calendars.values()];
      const more = skip + top < all.length;
      return ok({ value: all.slice(skip, skip + top).map((c) => renderCalendar(mb, c)), ...(more ? { '@odata.nextLink': `${base}?$top=${top}&$skip=${skip + top}` } : {}) });
    }
    case 'POST calendars': {
      // calendar-post-calendars: 201 with the calendar; a name the mailbox has is 409 ErrorFolderExists.
      const name = (await readJson(req)).name;
      if (typeof name !== 'string' || name.trim() === '') throw new GraphHttpError(400, 'ErrorInvalidRequest', 'The calendar name is required.');
      if ([...mb.calendars.values()].some((c) => c.name.toLowerCase() === name.toLowerCase())) throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
      const id = newId('AAMkCA');
      mb.calendars.set(id, { id, name, color: 'auto', isDefault: false, canEdit: true });
      return { status: 201, body: renderCalendar(mb, mb.calendars.get(id)!) };
    }
    case 'DELETE calendar':
    case 'DELETE calendars/{id}':
      deleteCalendar(s, mb, calendarIdOf(mb, p[0] === 'calendar' ? undefined : p[1]));
      return { status: 204 };
    case 'PATCH calendar':
    case 'PATCH calendars/{id}':
      return ok(renderCalendar(mb, updateCalendar(mb, calendarIdOf(mb, p[0] === 'calendar' ? undefined : p[1]), await readJson(req))));
    case 'GET calendar':
    case 'GET calendars/{id}':
      return ok(renderCalendar(mb, mb.calendars.get(calendarIdOf(mb, p[0] === 'calendar' ? undefined : p[1]))!));
    case 'GET events':
      return ok(listEvents(s, mb, null, q, prefs, base));
    case 'GET calendar/events':
    case 'GET calendars/{id}/events':
      return ok(listEvents(s, mb, calendarIdOf(mb, p[0] === 'calendar' ? undefined : p[1]), q, prefs, base));
    case 'POST events':
    case 'POST calendar/events':
    case 'POST calendars/{id}/events': {
      const calId = calendarIdOf(mb, p[0] === 'calendars' ? p[1] : undefined);
      if (!mb.calendars.get(calId)!.canEdit) throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const { data, extended } = eventInput(await readJson(req));
      const ev = s.store.create(mb, calId, data);
      s.store.setExtended(mb, ev, extended);
      sendMeetingMessages(s.meetingMessages, mb, ev.restId, null, ev.data);
      return { status: 201, body: renderItem(mb, itemOfTarget(mb, { kind: 'event', ev }), prefs) };
    }
    case 'GET calendarView':
    case 'GET calendar/calendarView':
    case 'GET calendars/{id}/calendarView':
      return ok(viewEvents(mb, calendarIdOf(mb, p[0] === 'calendars' ? p[1] : undefined), q, prefs, base));
    case 'GET calendarView/delta':
    case 'GET calendar/calendarView/delta':
    case 'GET calendars/{id}/calendarView/delta':
      return ok(handleDelta(mb, calendarIdOf(mb, p[0] === 'calendars' ? p[1] : undefined), url.pathname, q, prefs, s.deltaFaults, s.baseUrl, s.switches.thinDeltaItems));
    case 'POST calendar/getSchedule':
      return ok(getSchedule([...s.mailboxes.values()], await readJson(req), prefs));
    case 'GET events/{id}/instances':
    case 'GET calendars/{id}/events/{id}/instances':
      return ok(instances(s, mb, decodeURIComponent(p[p.length - 2]!), q, prefs, base));
    case 'GET events/{id}':
    case 'GET calendars/{id}/events/{id}': {
      const t = resolveOr404(s, mb, decodeURIComponent(p[p.length - 1]!));
      return ok(renderItem(mb, itemOfTarget(mb, t), prefs, renderOptions(q)));
    }
    case 'PATCH events/{id}':
    case 'PATCH calendars/{id}/events/{id}': {
      const t = resolveOr404(s, mb, decodeURIComponent(p[p.length - 1]!));
      itemOfTarget(mb, t);
      checkIfMatch(req.headers['if-match'], t, s.switches.irresolvableConflict412);
      const { data, extended } = eventInput(await readJson(req));
      const before = structuredClone(t.kind === 'event' ? t.ev.data : t.master.data);
      if (Array.isArray(data.attendees)) data.attendees = keepResponses(before.attendees, data.attendees);
      const ev = s.store.update(mb, t, data);
      s.store.setExtended(mb, ev, extended);
      sendMeetingMessages(s.meetingMessages, mb, decodeURIComponent(p[p.length - 1]!), before, ev.data);
      return ok(renderItem(mb, itemOfTarget(mb, { kind: 'event', ev }), prefs));
    }
    case 'DELETE events/{id}':
    case 'DELETE calendars/{id}/events/{id}': {
      const t = resolveOr404(s, mb, decodeURIComponent(p[p.length - 1]!));
      itemOfTarget(mb, t);
      checkIfMatch(req.headers['if-match'], t, s.switches.irresolvableConflict412);
      sendMeetingMessages(s.meetingMessages, mb, decodeURIComponent(p[p.length - 1]!), t.kind === 'event' ? t.ev.data : t.master.data, null);
      s.store.delete(mb, t);
      return { status: 204 };
    }
    default:
      void id1;
      throw new GraphHttpError(400, 'BadRequest', `Unsupported request: ${method} ${url.pathname}`);
  }
}

async function routeSubscriptions(s: EmulatorState, req: IncomingMessage, rel: string, caller: Caller, prefs: Prefs): Promise<GraphResult> {
  const id = rel.split('/')[2];
  const render = (sub: ReturnType<EmulatorState['subs']['get']>) => ({
    id: sub.id, resource: sub.resource, applicationId: sub.applicationId, changeType: sub.changeType,
    clientState: sub.clientState, notificationUrl: sub.notificationUrl, lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    expirationDateTime: new Date(sub.expirationMs).toISOString(), creatorId: caller.mb.id, latestSupportedTlsVersion: 'v1_2',
  });
  switch (`${req.method} ${id === undefined ? '' : rel.endsWith('/reauthorize') ? 'id/reauthorize' : 'id'}`) {
    case 'POST ':
      return { status: 201, body: render(await s.subs.create(caller.mb, caller.grant, await readJson(req), prefs.immutableIds)) };
    case 'GET ':
      // A delegated caller sees what this app made for the user, and never a clientState
      // (subscription-list.md: "not returned for security purposes"); GET by id shows it.
      return ok({
        value: [...s.subs.byId.values()]
          .filter((x) => x.mailboxId === caller.mb.id && x.applicationId === caller.grant.clientId && x.expirationMs > Date.now())
          .map((x) => ({ ...render(x), clientState: null })),
      });
    case 'GET id':
      return ok(render(s.subs.get(id!, caller.mb)));
    case 'PATCH id': {
      const sub = s.subs.get(id!, caller.mb);
      const body = await readJson(req);
      s.subs.reauthorize(sub, caller.grant, s.subs.checkExpiry(body.expirationDateTime as string | undefined));
      return ok(render(sub));
    }
    case 'POST id/reauthorize':
      // 204 No Content (§E B.6).
      s.subs.reauthorize(s.subs.get(id!, caller.mb), caller.grant);
      return { status: 204 };
    case 'DELETE id':
      s.subs.get(id!, caller.mb);
      s.subs.delete(id!);
      return { status: 204 };
    default:
      throw new GraphHttpError(405, 'BadRequest', 'Unsupported subscription request.');
  }
}
