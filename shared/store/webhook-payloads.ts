/**
 * Turns outbox rows (one per changed row, written by the triggers of 0007_webhooks_out.sql) into
 * webhook messages: one per event UID per transaction, so a series edit is one event.updated
 * naming the master and the instances that changed; one calendar.updated per calendar per
 * transaction, naming the fields that changed; one per other change. Pure.
 */
import { contentHash, type CanonicalEvent, type EventTime } from '../model/index.ts';
import { presentTime } from '../time/index.ts';
import { showEvent, type EventView } from './event-view.ts';
import { accountReasonCode, codeOfError } from '../error-codes.ts';
import { newId } from './ids.ts';
import { listedMessage, reasonOf } from './quarantine-reasons.ts';

export const WEBHOOK_EVENT_TYPES = [
  'event.created',
  'event.updated',
  'event.deleted',
  'event.quarantined',
  'event.restored',
  'calendar.created',
  'calendar.updated',
  'calendar.deleted',
  'account.connected',
  'account.updated',
  'account.needs_reauth',
  'account.disconnected',
  'sync.failed',
  'sync.recovered',
  'conflict.parked',
  'conflict.recorded',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface OutboxRow {
  seq: string;
  txid: string;
  tenant_id: string;
  kind: 'event' | 'calendar' | 'account' | 'sync' | 'conflict' | 'quarantine';
  op: string;
  account_id: string | null;
  calendar_id: string | null;
  subject_id: string;
  uid: string | null;
  original_start_key: string | null;
  data: Record<string, unknown> | null;
  by_calhub: boolean;
  created_at: Date;
}

export interface WebhookMessage {
  id: string;
  tenantId: string;
  type: WebhookEventType;
  /** Calendar or account id: messages of one stream reach an endpoint in commit order. */
  stream: string;
  createdAt: Date;
  payload: { id: string; type: WebhookEventType; timestamp: string; data: Record<string, unknown> };
}

type Change = 'created' | 'updated' | 'deleted';
export type InstanceChange = { eventId: string; originalStart: unknown; change: Change; event: EventView };

/** A master row not in the transaction, read by the caller: a series whose instances changed. */
export type MasterLookup = (calendarId: string, uid: string) => { id: string; contentHash: string; data: CanonicalEvent } | undefined;

/** Collapses several writes of one row in one transaction: insert+update is a create, insert+delete nothing. */
function collapse(rows: OutboxRow[]): Array<{ row: OutboxRow; change: Change }> {
  const bySubject = new Map<string, { row: OutboxRow; change: Change | null }>();
  for (const r of rows) {
    const prev = bySubject.get(r.subject_id);
    const op = r.op as Change;
    if (!prev) bySubject.set(r.subject_id, { row: r, change: op });
    else if (prev.change === 'created') bySubject.set(r.subject_id, { row: r, change: op === 'deleted' ? null : 'created' });
    else bySubject.set(r.subject_id, { row: r, change: op === 'created' ? 'updated' : op });
  }
  return [...bySubject.values()].filter((v): v is { row: OutboxRow; change: Change } => v.change !== null);
}

/**
 * The event as GET /v1/events/:id answered it at this version, with that version's etag: If-Match
 * with it succeeds until the event changes again. The etag is hashed from the row's data as it was
 * written, not read from the events table when composing (the event may have changed since); the
 * store makes every row's content_hash from its data with this function, so they are the same.
 */
function viewOf(r: OutboxRow): EventView {
  const data = r.data as unknown as CanonicalEvent;
  return showEvent({ id: r.subject_id, calendarId: r.calendar_id!, contentHash: contentHash(data), event: data });
}

/** As the instance's event shows it (the wall clock with its offset). */
const originalStartOf = (r: OutboxRow) => {
  const o = (r.data as unknown as CanonicalEvent | null)?.originalStart;
  return o ? presentTime(o) : null;
};

function eventMessage(rows: OutboxRow[], masterOf: MasterLookup): Omit<WebhookMessage, 'id' | 'payload'> & { data: Record<string, unknown> } | null {
  const changes = collapse(rows);
  if (changes.length === 0) return null;
  const first = rows[0]!;
  const master = changes.find((c) => c.row.original_start_key === '');
  const instances: InstanceChange[] = changes
    .filter((c) => c.row.original_start_key !== '')
    .map((c) => ({ eventId: c.row.subject_id, originalStart: originalStartOf(c.row), change: c.change, event: viewOf(c.row) }));
  let type: WebhookEventType;
  let event: EventView | null;
  let masterId: string | null;
  if (master) {
    type = `event.${master.change}`;
    event = viewOf(master.row);
    masterId = master.row.subject_id;
  } else {
    const stored = masterOf(first.calendar_id!, first.uid!);
    // Only instances changed: the series was updated. An override without a master (Google can
    // share one instance alone) is reported as itself.
    masterId = stored?.id ?? null;
    event = stored ? showEvent({ id: stored.id, calendarId: first.calendar_id!, contentHash: stored.contentHash, event: stored.data }) : instances[0]!.event;
    type = stored ? 'event.updated' : `event.${instances.every((i) => i.change === instances[0]!.change) ? instances[0]!.change : 'updated'}`;
  }
  const recurring = instances.length > 0 || Boolean(event?.recurrence);
  const byCalhub = rows.some((r) => r.by_calhub) || changes.some((c) => c.row.data?.provenance != null);
  return {
    tenantId: first.tenant_id,
    type,
    stream: first.calendar_id!,
    createdAt: first.created_at,
    data: {
      accountId: first.account_id,
      calendarId: first.calendar_id,
      eventId: event ? event.id : null,
      uid: first.uid,
      writtenByCalhub: byCalhub,
      event,
      series: recurring ? { masterId, instances } : null,
    },
  };
}

/**
 * event.quarantined / event.restored (migration 0057): the kept event as it stands (for restored,
 * the readable version that healed it), the item's remote id, and why it was set aside.
 */
function quarantineMessage(r: OutboxRow): Omit<WebhookMessage, 'id' | 'payload'> & { data: Record<string, unknown> } {
  const d = r.data as { event: CanonicalEvent; remoteId: string; error: string };
  const event = showEvent({ id: r.subject_id, calendarId: r.calendar_id!, contentHash: contentHash(d.event), event: d.event });
  return {
    tenantId: r.tenant_id,
    type: `event.${r.op}` as WebhookEventType,
    stream: r.calendar_id!,
    createdAt: r.created_at,
    data: { accountId: r.account_id, calendarId: r.calendar_id, eventId: r.subject_id, uid: r.uid, remoteId: d.remoteId, reason: reasonOf(d.error), message: listedMessage(d.error), event },
  };
}

/** A sync message's data: the failure's line as recorded (`CODE: message`) and its code apart. */
function syncData(accountId: string | null, calendarId: string | null, error: string | null, d: Record<string, unknown>): Record<string, unknown> {
  return { accountId, calendarId, error, errorCode: codeOfError(error), failureCount: d.failureCount, lastSuccessAt: d.lastSuccessAt ?? null };
}

function otherMessage(r: OutboxRow): Omit<WebhookMessage, 'id' | 'payload'> & { data: Record<string, unknown> } {
  if (r.kind === 'quarantine') return quarantineMessage(r);
  const type = `${r.kind}.${r.op}` as WebhookEventType;
  const d = r.data ?? {};
  const base = { tenantId: r.tenant_id, type, createdAt: r.created_at };
  switch (r.kind) {
    case 'account':
      return {
        ...base,
        stream: r.account_id!,
        data: {
          accountId: r.account_id, provider: d.provider, externalId: d.externalId, status: d.status, reason: d.reason ?? null,
          // reason is the provider's word (invalid_grant) or calhub's message; reasonCode is the stable code.
          reasonCode: accountReasonCode(d.status),
          // Rows written before migration 0027 carry no access.
          access: d.access ?? null,
          // Rows written before migration 0094 carry no email (that migration fills those of accounts still there).
          email: d.email ?? null,
          // Rows written before migration 0034 are access changes.
          // An account connected again while connected already (its row says so); a new or reauthorized one: false.
          ...(type === 'account.connected' ? { alreadyConnected: d.alreadyConnected === true } : {}),
          // Rows written before migration 0097 carry no oldEmail: the address did not change in them.
          ...(type === 'account.updated' ? { oldAccess: d.oldAccess ?? null, oldStatus: d.oldStatus ?? d.status, oldEmail: 'oldEmail' in d ? d.oldEmail : (d.email ?? null), changed: d.changed ?? ['access'] } : {}),
        },
      };
    case 'conflict':
      return {
        ...base,
        stream: r.calendar_id!,
        data: {
          accountId: r.account_id, calendarId: r.calendar_id, conflictId: r.subject_id, uid: r.uid, fields: d.fields, policy: d.policy,
          // conflict.recorded (migration 0079): what became of the hub's change, and where it was.
          ...(type === 'conflict.recorded' ? { outcome: d.outcome, eventId: d.eventId ?? null, occurrence: d.occurrence ? presentTime(d.occurrence as EventTime) : null, remoteId: d.remoteId ?? null, ...conflictSides(d) } : {}),
          // conflict.parked (migration 0092) names the event too; rows queued before carry only the UID (null).
          ...(type === 'conflict.parked' ? { eventId: d.eventId ?? null, occurrence: d.occurrence ? presentTime(d.occurrence as EventTime) : null, remoteId: d.remoteId ?? null } : {}),
        },
      };
    case 'sync':
      return {
        ...base,
        stream: r.calendar_id!,
        data: syncData(r.account_id, r.calendar_id, type === 'sync.failed' ? ((d.lastError as string | null) ?? null) : null, d),
      };
    default:
      return {
        ...base,
        stream: r.calendar_id!,
        data: {
          accountId: r.account_id,
          calendarId: r.calendar_id,
          // Rows written before migration 0028 do not say.
          ...(type === 'calendar.updated' && Array.isArray(d.changed) ? { changed: d.changed } : {}),
          calendar: {
            name: d.name, timeZone: d.timeZone, providerCalendarId: d.providerCalendarId,
            // Rows written before migration 0020 carry only the first three.
            ...('accessRole' in d ? { color: d.color ?? null, accessRole: d.accessRole, countsForBusy: d.countsForBusy, missingSince: d.missingSince ?? null } : {}),
            // Rows written before migration 0021 were all of synced calendars.
            ...('accessRole' in d ? { syncEnabled: d.syncEnabled ?? true } : {}),
            // Rows written before migration 0069 had no zone but the provider's.
            ...('timeZoneChosen' in d ? { timeZoneChosen: d.timeZoneChosen, providerTimeZone: d.providerTimeZone } : {}),
            // Rows written before migration 0091 do not say; no calendar was marked primary then.
            primary: d.primary === true,
          },
        },
      };
  }
}

const CALENDAR_FIELDS = ['name', 'color', 'timeZone', 'accessRole', 'countsForBusy', 'missingSince', 'syncEnabled', 'timeZoneChosen', 'providerTimeZone'];

/**
 * A transaction's updates of one calendar as one row: the calendar as the last left it, naming
 * every field any of them changed. A PATCH of a name and a setting sent two calendar.updated.
 */
function mergeCalendarUpdates(g: OutboxRow[]): OutboxRow {
  const last = g[g.length - 1]!;
  if (g.length === 1) return last;
  const named = new Set(g.flatMap((r) => (Array.isArray(r.data?.changed) ? (r.data.changed as string[]) : [])));
  const known = g.every((r) => Array.isArray(r.data?.changed));
  return { ...last, data: { ...last.data, changed: known ? CALENDAR_FIELDS.filter((f) => named.has(f)) : undefined } };
}

const groupKey = (r: OutboxRow): string => {
  if (r.kind === 'event') return `e\u0000${r.txid}\u0000${r.calendar_id}\u0000${r.uid}`;
  if (r.kind === 'calendar' && r.op === 'updated') return `c\u0000${r.txid}\u0000${r.calendar_id}`;
  return `o\u0000${r.seq}`;
};

/** Messages for outbox rows given in seq order; each message takes the place of its first row. */
export function composeMessages(rows: OutboxRow[], masterOf: MasterLookup): WebhookMessage[] {
  const groups = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    const key = groupKey(r);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: WebhookMessage[] = [];
  for (const g of groups.values()) {
    const m = g[0]!.kind === 'event' ? eventMessage(g, masterOf) : otherMessage(mergeCalendarUpdates(g));
    if (!m) continue;
    const id = newId('msg');
    const { data, ...rest } = m;
    out.push({ ...rest, id, payload: { id, type: m.type, timestamp: m.createdAt.toISOString(), data: { tenantId: m.tenantId, ...data } } });
  }
  return out;
}

/** Event groups whose master did not change in the transaction: their masters are looked up. */
export function mastersToLookUp(rows: OutboxRow[]): Array<{ calendarId: string; uid: string }> {
  const touchedMaster = new Set(rows.filter((r) => r.kind === 'event' && r.original_start_key === '').map((r) => `${r.txid}\u0000${r.calendar_id}\u0000${r.uid}`));
  const wanted = new Map<string, { calendarId: string; uid: string }>();
  for (const r of rows) {
    if (r.kind !== 'event' || r.original_start_key === '' || touchedMaster.has(`${r.txid}\u0000${r.calendar_id}\u0000${r.uid}`)) continue;
    wanted.set(`${r.calendar_id}\u0000${r.uid}`, { calendarId: r.calendar_id!, uid: r.uid! });
  }
  return [...wanted.values()];
}

/**
 * conflict.recorded's side whose change was discarded and the two times latest-wins compares
 * (migration 0099). Rows queued before carry none: a `remote` outcome lost the hub's change (all
 * that was sent then, but for delete conflicts, whose side is not known from the row).
 */
function conflictSides(d: Record<string, unknown>): { lost: string | null; localChangedAt: string | null; remoteChangedAt: string | null } {
  const at = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);
  const lost = typeof d.lost === 'string' ? d.lost : d.outcome === 'remote' ? 'hub' : null;
  return { lost, localChangedAt: at(d.localChangedAt), remoteChangedAt: at(d.remoteChangedAt) };
}
