/** The Microsoft Graph connector (createMicrosoftConnector); see README.md for limits and quirks. */
import { ValidationError } from '../../shared/errors.ts';
import { resolveZone } from '../../shared/time/index.ts';
import type { ConnectorContext, ConnectorWithPush, RemoteCalendar } from '../connector.ts';
import { TransientError, UnsupportedError } from '../errors.ts';
import { graphApi, GRAPH_ORIGIN, type GraphApi } from './graph-client.ts';
import { listChanges } from './list-changes.ts';
import { calendarColorOf } from './calendar-color.ts';
import { createPushSubscriber } from './push.ts';
import { cannotHold, deleteObject, findObjectByUid, getObject, putObject } from './write-object.ts';

const DEFAULT_PAGE_SIZE = 50;
const OWNERS_KEPT = 1000;

/** Mailbox addresses by access token, shared by every connector of the process (the registry makes one per job). */
const owners = ownerCache(OWNERS_KEPT);

function ownerCache(max: number) {
  const byKey = new Map<unknown, Promise<string>>();
  return {
    get(key: unknown, look: () => Promise<string>): Promise<string> {
      let p = byKey.get(key);
      if (p) {
        byKey.delete(key);
        byKey.set(key, p);
        return p;
      }
      p = look();
      p.catch(() => byKey.delete(key));
      byKey.set(key, p);
      // Oldest first out: a Map keeps insertion order and a hit moved its key to the end.
      if (byKey.size > max) byKey.delete(byKey.keys().next().value);
      return p;
    },
  };
}

interface GraphCalendar {
  id: string; name: string; color?: string; hexColor?: string; isDefaultCalendar?: boolean; canEdit?: boolean; canShare?: boolean; isRemovable?: boolean;
}

/** Structurally a subset of connectors/registry.ts ConnectorConfig (provider folders may not import it). */
export interface MicrosoftConnectorConfig {
  /** Graph origin; the emulator's URL in tests and sandbox. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** `Prefer: odata.maxpagesize` for delta pages. */
  pageSize?: number;
  /** The mailbox's address as learnt at connect (account config `email`); absent: asked of /me. */
  email?: string | null;
}

export function createMicrosoftConnector(config: MicrosoftConnectorConfig): ConnectorWithPush {
  const cfg = { baseUrl: config.baseUrl ?? GRAPH_ORIGIN, fetch: config.fetch ?? fetch };
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;
  const apiFor = (ctx: ConnectorContext): GraphApi => graphApi(cfg, ctx);
  // The mailbox address marks the owner's own attendee entry (`self`). Each job brings new
  // credentials, so a cache per credentials object asked /me on every pull: it is kept per access
  // token (one /me per token lifetime, about an hour), for the connector's life, a bounded number.
  // Accounts connected since the address is stored at connect never ask.
  const ownerOf = async (ctx: ConnectorContext, api: GraphApi): Promise<string> => {
    if (config.email) return config.email;
    const key = ctx.credentials.kind === 'oauth' ? await ctx.credentials.getAccessToken() : ctx.credentials;
    return owners.get(key, () => api.get<{ mail?: string; userPrincipalName?: string }>('/me?$select=mail,userPrincipalName').then((u) => u.mail ?? u.userPrincipalName ?? ''));
  };
  return {
    provider: 'microsoft',
    capabilities: {
      incrementalSync: 'delta-link',
      push: true,
      freeBusy: 'native',
      maxFreeBusyWindowDays: 62,
      overridesInMasterObject: false,
      unsupportedRecurrence: ['rdate', 'multiple-rrules', 'byhour', 'bysetpos', 'secondly-minutely-hourly'],
      conditionalWrites: true,
      cancelledInstancesAsExdates: true,
      keepsOccurrenceOrder: true,
      // sensitivity has normal, personal, private, confidential: `public` is written normal and reads back default.
      visibilityHeldAs: { public: 'default' },
      // No tentative status (event.md: isCancelled only): a tentative event is showAs tentative.
      statusHeldAs: { tentative: 'confirmed' },
      // Exchange stores on an exception only the fields it overrides (MS-OXOCAL 2.2.1.44.2), so a
      // series' new subject, location, busy status or body shows on exceptions that kept the old
      // one; the emulator plays it (exception-inherit.ts). For Graph UNCONFIRMED. An exception
      // holding exactly the series' new value is taken for that echo, whoever wrote it: harmless,
      // while taking a real echo for someone else's change leaves a stale exception standing.
      fieldsCarriedToOverrides: ['title', 'description', 'location', 'availability'],
    },
    cannotHold,
    async listCalendars(ctx) {
      const api = apiFor(ctx);
      // Every page: a calendar on a later one would otherwise look deleted when the list is read again.
      const r: { value: GraphCalendar[] } = { value: [] };
      for (let link: string | undefined = '/me/calendars?$top=100'; link; ) {
        const page: { value: GraphCalendar[]; '@odata.nextLink'?: string } = await api.get(link);
        r.value.push(...page.value);
        link = page['@odata.nextLink'];
      }
      // All-day events are dates in the mailbox's zone: without it they would be placed in UTC.
      const settings = await api.get<{ timeZone?: string }>('/me/mailboxSettings').catch(() => ({ timeZone: undefined }));
      const zone = settings.timeZone ? resolveZone(settings.timeZone) : null;
      const calendars: RemoteCalendar[] = r.value.map((c) => ({
        providerCalendarId: c.id, name: c.name, timeZone: zone,
        color: calendarColorOf(c), readOnly: c.canEdit === false, supportsEvents: true, primary: c.isDefaultCalendar === true,
      }));
      return calendars;
    },
    async listChanges(ctx, cal, cursor) {
      const api = apiFor(ctx);
      return listChanges(api, ctx, cal, cursor, await ownerOf(ctx, api), pageSize);
    },
    async getObject(ctx, _cal, remoteId) {
      const api = apiFor(ctx);
      return getObject(api, remoteId, await ownerOf(ctx, api));
    },
    async findObjectByUid(ctx, cal, uid) {
      const api = apiFor(ctx);
      return findObjectByUid(api, cal, uid, await ownerOf(ctx, api));
    },
    async putObject(ctx, cal, write, pre) {
      const api = apiFor(ctx);
      return putObject(api, cal, write, pre, await ownerOf(ctx, api));
    },
    async deleteObject(ctx, _cal, remoteId, pre) {
      return deleteObject(apiFor(ctx), remoteId, pre);
    },
    // POST /me/calendars (calendar-post-calendars): a Graph calendar has no time zone of its own,
    // it takes the mailbox's, so `timeZone` is not sent. Asked for another zone, nothing is made:
    // a calendar silently in the wrong zone would place its all-day events on the wrong days for
    // the product that asked. A name the mailbox has already is 409 ErrorFolderExists.
    async createCalendar(ctx, req) {
      const api = apiFor(ctx);
      if (req.timeZone) {
        const settings = await api.get<{ timeZone?: string }>('/me/mailboxSettings').catch(() => ({ timeZone: undefined }));
        const mailbox = settings.timeZone ? resolveZone(settings.timeZone) : null;
        if (mailbox && mailbox !== req.timeZone) {
          throw new ValidationError(
            `invalid calendar: timeZone: a Microsoft 365 calendar has no time zone of its own; it takes the mailbox's, ${mailbox}, not ${req.timeZone}: leave timeZone out, or change the mailbox's zone in Outlook`,
          );
        }
      }
      const made = await api.post<GraphCalendar | undefined>('/me/calendars', { name: req.name });
      const calendars = await this.listCalendars(ctx);
      if (!made?.id) {
        // An answer without the calendar (an empty 200 through a gateway) may still have made it: a
        // mailbox's calendar names are unique, so the name finds it, and a retry would be refused
        // as ErrorFolderExists instead of making a second one.
        const byName = calendars.find((c) => c.name === req.name);
        if (byName) return byName;
        throw new TransientError('Microsoft Graph answered the calendar create without the created calendar (no id)', { provider: 'microsoft', reason: 'create-answer-without-id' });
      }
      const listed = calendars.find((c) => c.providerCalendarId === made.id);
      return listed ?? { providerCalendarId: made.id, name: made.name, timeZone: null, color: calendarColorOf(made), readOnly: false, supportsEvents: true, primary: false };
    },
    // DELETE /me/calendars/{id} (calendar-delete: "other than the default calendar"). The calendar's
    // own isRemovable says beforehand whether the mailbox lets it go, so the refusal does not hang
    // on Graph's undocumented error for the default calendar; a calendar already gone is 404.
    async deleteCalendar(ctx, cal) {
      const api = apiFor(ctx);
      const path = `/me/calendars/${encodeURIComponent(cal.providerCalendarId)}`;
      const c = await api.get<GraphCalendar>(`${path}?$select=id,isDefaultCalendar,isRemovable`);
      if (c.isDefaultCalendar || c.isRemovable === false) {
        throw new UnsupportedError('Microsoft Graph: the mailbox\'s default calendar cannot be deleted', { provider: 'microsoft', reason: 'primary-calendar' });
      }
      await api.delete(path);
    },
    // PATCH /me/calendars/{id} {name} (calendar-update; its example renames the default calendar,
    // so that is allowed). A calendar shared into the mailbox is refused before asking: "only the
    // user who created the calendar can share it" (canShare, calendar resource), so canShare or
    // canEdit false says it is someone else's. A name the mailbox has is 409 ErrorFolderExists
    // (PreconditionFailedError); a calendar gone is 404.
    async renameCalendar(ctx, cal, name) {
      const api = apiFor(ctx);
      const path = `/me/calendars/${encodeURIComponent(cal.providerCalendarId)}`;
      const c = await api.get<GraphCalendar>(`${path}?$select=id,canEdit,canShare`);
      if (c.canEdit === false || c.canShare === false) {
        throw new UnsupportedError('Microsoft Graph: the calendar is shared into the mailbox by someone else; only its owner can rename it', { provider: 'microsoft', reason: 'not-calendar-owner' });
      }
      const renamed = { ...c, name, ...(await api.patch<GraphCalendar | undefined>(path, { name })) };
      const listed = (await this.listCalendars(ctx)).find((x) => x.providerCalendarId === cal.providerCalendarId);
      return listed ?? { providerCalendarId: cal.providerCalendarId, name: renamed.name, timeZone: null, color: calendarColorOf(renamed), readOnly: false, supportsEvents: true, primary: renamed.isDefaultCalendar === true };
    },
    push: createPushSubscriber(apiFor),
  };
}
