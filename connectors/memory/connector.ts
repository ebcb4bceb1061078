/**
 * The memory connector: the whole connector contract over a MemoryBackend, so the engine's unit
 * and model tests run the same code paths a real provider takes (cursors, pages, preconditions,
 * faults) without a network.
 */
import type { CanonicalEvent } from '../../shared/model/index.ts';
import type {
  CalendarConnector,
  ChangePage,
  ConnectorCapabilities,
  ConnectorContext,
  NewCalendar,
  RemoteCalendar,
  RemoteCalendarRef,
  RemoteChange,
  RemoteObject,
  RemoteObjectWrite,
  WritePrecondition,
} from '../connector.ts';
import {
  GrantRevokedError,
  InsufficientScopeError,
  PreconditionFailedError,
  RateLimitedError,
  RemoteNotFoundError,
  SyncCursorInvalidError,
  TransientError,
  UnsupportedError,
} from '../errors.ts';
import type { MemoryBackend, StoredObject } from './backend.ts';

const capabilities: ConnectorCapabilities = {
  incrementalSync: 'sync-token',
  push: false,
  freeBusy: 'derive-from-events',
  overridesInMasterObject: true,
  unsupportedRecurrence: [],
  conditionalWrites: true,
  cancelledInstancesAsExdates: false,
};

type Cursor =
  | { kind: 'full'; epoch: number; startSeq: number; after: string; emptied: boolean }
  | { kind: 'inc'; epoch: number; seq: number; emptied: boolean };

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(s: string): Cursor {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new SyncCursorInvalidError('memory cursor is not readable');
  }
}

export class MemoryConnector implements CalendarConnector {
  readonly provider = 'memory' as const;
  readonly capabilities = capabilities;

  constructor(private readonly backend: MemoryBackend) {}

  async createCalendar(ctx: ConnectorContext, req: NewCalendar): Promise<RemoteCalendar> {
    this.enter();
    const id = this.backend.addCalendar({ name: req.name, timeZone: req.timeZone ?? 'UTC' });
    return (await this.listCalendars(ctx)).find((c) => c.providerCalendarId === id)!;
  }

  /** The first calendar is the primary one, as listCalendars says; a read-only one is someone else's. */
  async deleteCalendar(_ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<void> {
    const fault = this.enter(true);
    const store = this.calendar(cal);
    if ([...this.backend.calendars.keys()][0] === store.id) {
      throw new UnsupportedError(`memory calendar ${store.id} is the primary calendar and cannot be deleted`, { reason: 'primary-calendar' });
    }
    if (store.readOnly) throw new UnsupportedError(`memory calendar ${store.id} belongs to someone else`, { reason: 'not-calendar-owner' });
    this.backend.removeCalendar(store.id);
    if (fault === 'timeout-after-write') throw new TransientError('memory: response lost after the calendar was deleted');
  }

  /** The primary may be renamed (Google and Graph allow it); someone else's calendar may not. */
  async renameCalendar(ctx: ConnectorContext, cal: RemoteCalendarRef, name: string): Promise<RemoteCalendar> {
    const fault = this.enter(true);
    const store = this.calendar(cal);
    if (store.readOnly) throw new UnsupportedError(`memory calendar ${store.id} belongs to someone else`, { reason: 'not-calendar-owner' });
    if (name.trim() === '') throw new UnsupportedError('memory: a calendar needs a name');
    store.name = name;
    if (fault === 'timeout-after-write') throw new TransientError('memory: response lost after the calendar was renamed');
    return (await this.listCalendars(ctx)).find((c) => c.providerCalendarId === store.id)!;
  }

  async listCalendars(_ctx: ConnectorContext): Promise<RemoteCalendar[]> {
    this.enter();
    return [...this.backend.calendars.values()].map((c, i) => ({
      providerCalendarId: c.id,
      name: c.name,
      timeZone: c.timeZone,
      color: null,
      readOnly: c.readOnly,
      supportsEvents: true,
      primary: i === 0,
    }));
  }

  async listChanges(_ctx: ConnectorContext, cal: RemoteCalendarRef, cursor: string | null): Promise<ChangePage> {
    this.enter();
    const b = this.backend;
    const store = this.calendar(cal);
    const c: Cursor = cursor === null ? { kind: 'full', epoch: b.epoch, startSeq: b.seq, after: '', emptied: false } : decode(cursor);
    if (c.epoch !== b.epoch) throw new SyncCursorInvalidError('memory sync cursor expired');
    if (b.emitEmptyPages && !c.emptied) {
      return { changes: [], mode: c.kind === 'full' ? 'full' : 'incremental', nextCursor: encode({ ...c, emptied: true }), hasMore: true };
    }
    if (c.kind === 'full') {
      const ids = [...store.objects.keys()].filter((id) => id > c.after).sort();
      const page = ids.slice(0, b.pageSize);
      const changes = page.map((id) => upsert(store.objects.get(id)!));
      const hasMore = ids.length > page.length;
      const next: Cursor = hasMore
        ? { ...c, after: page[page.length - 1]!, emptied: false }
        : { kind: 'inc', epoch: b.epoch, seq: c.startSeq, emptied: false };
      return { changes, mode: 'full', nextCursor: encode(next), hasMore };
    }
    const latest = new Map<string, number>();
    for (const entry of store.log) if (entry.seq > c.seq) latest.set(entry.remoteId, entry.seq);
    const ordered = [...latest].sort((x, y) => x[1] - y[1]);
    const page = ordered.slice(0, b.pageSize);
    const changes: RemoteChange[] = page.map(([id]) => {
      const obj = store.objects.get(id);
      return obj ? upsert(obj) : { kind: 'delete', remoteId: id };
    });
    const hasMore = ordered.length > page.length;
    const seq = hasMore ? page[page.length - 1]![1] : Math.max(c.seq, b.seq);
    return { changes, mode: 'incremental', nextCursor: encode({ kind: 'inc', epoch: b.epoch, seq, emptied: false }), hasMore };
  }

  async getObject(_ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string): Promise<RemoteObject> {
    this.enter();
    this.calendar(cal); // a deleted calendar is RemoteNotFoundError, not the backend's own failure
    const obj = this.backend.get(cal.providerCalendarId, remoteId);
    if (!obj) throw new RemoteNotFoundError(`memory object ${remoteId} not found`);
    return toRemote(obj);
  }

  async findObjectByUid(_ctx: ConnectorContext, cal: RemoteCalendarRef, uid: string): Promise<RemoteObject | null> {
    this.enter();
    this.calendar(cal);
    const obj = this.backend.list(cal.providerCalendarId).find((o) => o.events.some((e) => e.uid === uid));
    return obj ? toRemote(obj) : null;
  }

  async putObject(_ctx: ConnectorContext, cal: RemoteCalendarRef, write: RemoteObjectWrite, pre: WritePrecondition): Promise<RemoteObject> {
    const fault = this.enter(true);
    const store = this.calendar(cal);
    if (store.readOnly) throw new InsufficientScopeError('memory calendar is read-only');
    const refused = this.backend.refuse?.(write.events);
    if (refused) throw new UnsupportedError(`memory: the server refused the calendar data (${refused})`);
    const current = write.remoteId ? store.objects.get(write.remoteId) : undefined;
    if ('ifNoneMatch' in pre) {
      if (current) throw new PreconditionFailedError(`memory object ${write.remoteId} already exists`);
    } else if (!current) {
      throw new RemoteNotFoundError(`memory object ${write.remoteId} not found`);
    } else if (current.version !== pre.ifMatch || fault === 'precondition-failed') {
      throw new PreconditionFailedError(`memory object ${write.remoteId} changed (${current.version})`);
    }
    const stored = this.backend.put(cal.providerCalendarId, write.remoteId, write.events as CanonicalEvent[]);
    if (fault === 'timeout-after-write') throw new TransientError('memory: response lost after the write was applied');
    return toRemote(stored);
  }

  async deleteObject(_ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string, pre: { ifMatch: string } | null): Promise<void> {
    const fault = this.enter(true);
    const store = this.calendar(cal);
    if (store.readOnly) throw new InsufficientScopeError('memory calendar is read-only');
    const current = store.objects.get(remoteId);
    if (!current) throw new RemoteNotFoundError(`memory object ${remoteId} not found`);
    if ((pre && current.version !== pre.ifMatch) || fault === 'precondition-failed') {
      throw new PreconditionFailedError(`memory object ${remoteId} changed (${current.version})`);
    }
    this.backend.delete(cal.providerCalendarId, remoteId);
    if (fault === 'timeout-after-write') throw new TransientError('memory: response lost after the delete was applied');
  }

  /** Applies a queued fault that fails before any work; returns the ones that act later. */
  private enter(isWrite = false): 'precondition-failed' | 'timeout-after-write' | undefined {
    const fault = this.backend.takeFault(isWrite);
    if (fault === 'rate-limited') throw new RateLimitedError('memory: rate limited', 1000);
    if (fault === 'server-error') throw new TransientError('memory: server error 503');
    if (fault === 'grant-revoked') throw new GrantRevokedError('memory: grant revoked');
    return fault;
  }

  private calendar(cal: RemoteCalendarRef) {
    const store = this.backend.calendar(cal.providerCalendarId);
    if (!store) throw new RemoteNotFoundError(`memory calendar ${cal.providerCalendarId} not found`);
    return store;
  }
}

const upsert = (o: StoredObject): RemoteChange => ({ kind: 'upsert', remoteId: o.remoteId, version: o.version, events: structuredClone(o.events) });
const toRemote = (o: StoredObject): RemoteObject => ({ remoteId: o.remoteId, version: o.version, events: structuredClone(o.events) });
