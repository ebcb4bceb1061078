/**
 * `resync --dry-run`: what the next sync of a calendar would do, both directions, writing nothing.
 *
 * Pull: the provider's changes since the stored cursor (or a full listing) are read page by page
 * and planned with the same pure planner the real pull uses (plan.ts), against the ledger as the
 * earlier pages would have left it. The cursor, the ledger, the listing marks and the store stay
 * as they are, so the next real pull asks the provider the same question and gets the same answer.
 * Push: the outbox as the pull would leave it, decided the way push.ts decides (a write per changed
 * object, a delete per agreed object, nothing where the provider already holds the content).
 * Provider reads only: no write, no watch, no cursor committed anywhere.
 */
import type { ChangePage, ConnectorCapabilities } from '../connectors/index.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { countsOfReason, opsQueries, type LedgerEntry } from '../shared/store/index.ts';
import { foldCancelledOverrides } from './cancelled-instances.ts';
import type { EngineDeps } from './deps.ts';
import { openCalendar } from './open-calendar.ts';
import { droppedOverrides } from './plain-occurrences.ts';
import { objectHash } from './object-hash.ts';
import { planPage, SET_ASIDE_HASH } from './plan.ts';
import { ownCopies } from './push.ts';
import { InstanceOwners } from './screen.ts';
import { screenAgainstStore, stillHeldAt } from './store-screen.ts';
import { DEFAULT_GUARD, guardVerdict, type GuardCounts } from './guard.ts';

export type PlanOp = 'create' | 'update' | 'delete' | 'conflict' | 'quarantine';

export interface PlanItem {
  /** `hub`: the store changes (pull); `provider`: the provider is written (push). */
  side: 'hub' | 'provider';
  op: PlanOp;
  uid: string | null;
  remoteId: string | null;
  title: string | null;
  /** Conflicts: the outcome the policy picks (local, remote, merged, parked, …); quarantine: why. */
  detail: string | null;
}

export interface CalendarPlan {
  calendarId: string;
  /** The cursor the plan starts from (null: a full listing). */
  fullListing: boolean;
  pull: PlanItem[];
  push: PlanItem[];
  /** Set when the mass-change guard would stop this run before it applies anything. */
  guard: string | null;
  /** Why the guard flagged the calendar: no sync runs until it is unflagged; the plan is the sync after that. */
  flagged: string | null;
  echoes: number;
}

const MAX_PAGES = 10_000;
const titleOf = (events: CanonicalEvent[] | null | undefined) => events?.find((e) => !e.originalStart)?.title ?? events?.[0]?.title ?? null;

export async function planCalendarSync(deps: EngineDeps, tenantId: string, calendarId: string, opts: { full?: boolean } = {}): Promise<CalendarPlan> {
  const { t, calendar, settings, connector, ctx, ref } = await openCalendar(deps, tenantId, calendarId, { flagged: 'read' });
  const db = deps.store.db;
  const guard = deps.guard ?? DEFAULT_GUARD;
  const known = await t.ledger.count(calendarId);
  const cursor = opts.full ? null : calendar.syncCursor;

  // The ledger and the outbox as each planned page leaves them (the real pull commits them).
  const ledger = new Map<string, LedgerEntry | null>();
  const outboxDropped = new Set<string>();
  const outboxAdded = new Set<string>();
  const localAfter = new Map<string, CanonicalEvent[]>();
  const seen = new Set<string>();
  const out: CalendarPlan = { calendarId, fullListing: cursor === null, pull: [], push: [], guard: null, flagged: settings.flaggedReason, echoes: 0 };
  const touched: GuardCounts = { deleted: 0, rewritten: 0, cancelled: 0 };
  // The sync planned is the next real one: after an unflag (which approves what the guard counted
  // when it flagged), or with the approval an unflag already gave.
  const allowance = settings.flaggedReason !== null ? (settings.guardTripped ?? countsOfReason(settings.flaggedReason)) : settings.guardAllowance;

  // The run's clash screen, as the pull screens (store-screen.ts): the store as it is, since a plan
  // writes nothing, so an object held by an earlier page's new object is seen only within its page.
  const owners = new InstanceOwners();
  const stillHeld = stillHeldAt(connector, ctx, ref);
  const planChanges = async (listed: ChangePage['changes']) => {
    const changes = await screenAgainstStore(t, calendarId, listed, owners, stillHeld);
    const ids = changes.map((c) => c.remoteId);
    const stored = await t.ledger.get(calendarId, ids.filter((id) => !ledger.has(id)));
    for (const [id, e] of stored) ledger.set(id, e);
    const view = new Map([...ids].flatMap((id) => (ledger.get(id) ? [[id, ledger.get(id)!] as const] : [])));
    const uidsOf = (c: (typeof changes)[number]): string[] => (c.kind === 'upsert' ? [...new Set(c.events.map((e) => e.uid))] : view.get(c.remoteId) ? [view.get(c.remoteId)!.uid] : []);
    const pendingAll = await t.outbox.editedAt(calendarId, changes.flatMap(uidsOf));
    const pending = new Map([...pendingAll].filter(([uid]) => !outboxDropped.has(uid)));
    const local = new Map<string, CanonicalEvent[]>();
    for (const uid of pending.keys()) local.set(uid, localAfter.get(uid) ?? (await t.events.byUid(calendarId, uid)).map((r) => r.event));
    // What a create whose answer was lost sent, so the plan shows its answer as the pull takes it.
    const sent = pending.size ? await t.outbox.sent(calendarId, [...pending.keys()]) : undefined;
    const plan = planPage({ changes, ledger: view, pendingUids: pending, local, policy: settings.conflictPolicy, deletePolicy: settings.deletePolicy, now: new Date(), apart: !connector.capabilities.overridesInMasterObject, sent });
    touched.deleted += plan.counts.deleted;
    touched.rewritten += plan.counts.rewritten;
    touched.cancelled += plan.counts.cancelled;
    out.guard ??= guardVerdict(guard, known, touched, allowance);
    out.echoes += plan.counts.echoes;
    for (const c of plan.apply) {
      const before = view.get(c.remoteId);
      if (c.kind === 'upsert') {
        const uid = c.events[0]?.uid ?? null;
        const exists = before || (uid !== null && (await t.events.byUid(calendarId, uid)).length > 0);
        out.pull.push({ side: 'hub', op: exists ? 'update' : 'create', uid, remoteId: c.remoteId, title: titleOf(c.events), detail: null });
        if (uid) localAfter.set(uid, c.events);
      } else if (c.kind === 'delete') {
        if (before) out.pull.push({ side: 'hub', op: 'delete', uid: before.uid, remoteId: c.remoteId, title: titleOf(before.base), detail: null });
      } else {
        // A known object keeps its rows as the last good copy; a new one has none.
        const kept = before ? `; the hub keeps its last good copy` : '';
        out.pull.push({ side: 'hub', op: 'quarantine', uid: before?.uid ?? null, remoteId: c.remoteId, title: before ? titleOf(before.base) : null, detail: `${c.error}${kept}` });
      }
    }
    for (const c of plan.conflicts) out.pull.push({ side: 'hub', op: 'conflict', uid: c.uid, remoteId: c.remoteId, title: titleOf(c.local ?? c.remote), detail: `${c.outcome} (${c.policy}; ${c.fields.join(', ')})` });
    for (const e of plan.ledgerPut) ledger.set(e.remoteId, e);
    for (const id of plan.ledgerDelete) ledger.set(id, null);
    for (const uid of plan.outboxDrop) outboxDropped.add(uid);
    for (const uid of plan.outboxRecreate) outboxAdded.add(uid);
  };

  // What the pull would hand the connector of calhub's own writes (pull.ts), so the plan sees what it would see.
  const written = connector.capabilities.listingMayMissOwnWrites ? (await t.written.pending(calendarId)).remoteIds : [];
  let pageCursor = cursor;
  for (let pages = 0; ; pages++) {
    if (pages >= MAX_PAGES) throw new Error(`calendar ${calendarId}: listing exceeded ${MAX_PAGES} pages`);
    const page = await connector.listChanges(ctx, ref, pageCursor, written.length ? written : undefined);
    if (page.mode === 'full') {
      out.fullListing = true;
      for (const c of page.changes) seen.add(c.remoteId);
    }
    await planChanges(page.changes);
    pageCursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  if (out.fullListing) {
    // What a full listing did not return is gone at the provider (pull.ts: unseenRemoteIds).
    const gone = (await opsQueries.ledgerRemoteIds(db, calendarId)).filter((id) => !seen.has(id) && ledger.get(id) !== null);
    if (gone.length && known >= guard.minObjects && gone.length >= known && !(allowance && allowance.removed >= known)) out.guard ??= `a full listing came back empty while ${known} objects were known`;
    if (gone.length) await planChanges(gone.map((remoteId) => ({ kind: 'delete' as const, remoteId })));
  }
  out.push = await planPushSide(deps, tenantId, calendarId, connector.capabilities, { ledger, outboxDropped, outboxAdded });
  return out;
}

async function planPushSide(
  deps: EngineDeps,
  tenantId: string,
  calendarId: string,
  caps: Pick<ConnectorCapabilities, 'overridesInMasterObject' | 'cancelledInstancesAsExdates'>,
  after: { ledger: Map<string, LedgerEntry | null>; outboxDropped: Set<string>; outboxAdded: Set<string> },
): Promise<PlanItem[]> {
  const t = deps.store.tenant(tenantId);
  const uids = [...new Set([...(await t.outbox.pending(calendarId)).map((e) => e.uid).filter((u) => !after.outboxDropped.has(u)), ...after.outboxAdded])];
  const items: PlanItem[] = [];
  const zone = (await t.calendars.get(calendarId))?.timeZone ?? 'UTC';
  for (const uid of uids) {
    const agreed = (await t.ledger.byUid(calendarId, uid))
      .map((l) => (after.ledger.has(l.remoteId) ? after.ledger.get(l.remoteId)! : l))
      .filter((l): l is LedgerEntry => l !== null);
    for (const [id, l] of after.ledger) if (l && l.uid === uid && !agreed.some((a) => a.remoteId === id)) agreed.push(l);
    const rows = await t.events.byUid(calendarId, uid);
    // An item set aside as unreadable (now, unless the pull reads it again; or by the pull) is not
    // written over: the change waits (push.ts), unless the item is calhub's own mirror copy.
    const unreadable = await t.events.unreadable(calendarId, agreed.map((l) => l.remoteId));
    const aside = agreed.filter((l) => (after.ledger.has(l.remoteId) ? l.baseHash === SET_ASIDE_HASH : unreadable.has(l.remoteId)));
    if (aside.length && !ownCopies(aside, agreed, rows)) {
      items.push({ side: 'provider', op: 'quarantine', uid, remoteId: aside[0]!.remoteId, title: titleOf(aside[0]!.base), detail: 'waits: its item at the provider is quarantined; nothing is written over it' });
      continue;
    }
    if (rows.length === 0) {
      for (const l of agreed) items.push({ side: 'provider', op: 'delete', uid, remoteId: l.remoteId, title: titleOf(l.base), detail: null });
      continue;
    }
    const stored = rows.map((r) => ({ ...r.event, providerEventId: r.remoteId }));
    // The push writes cancelled instances as EXDATEs where the provider holds them so (push.ts).
    const events = caps.cancelledInstancesAsExdates ? foldCancelledOverrides(stored) : stored;
    const objects = caps.overridesInMasterObject ? [{ remoteId: rows.find((r) => r.remoteId)?.remoteId ?? null, events }] : events.map((e) => ({ remoteId: e.providerEventId, events: [e] }));
    for (const obj of objects) {
      const known = obj.remoteId ? agreed.find((l) => l.remoteId === obj.remoteId) : undefined;
      if (known && known.baseHash === objectHash(obj.events)) continue; // the provider already holds exactly this
      items.push({ side: 'provider', op: known ? 'update' : 'create', uid, remoteId: obj.remoteId, title: titleOf(obj.events), detail: null });
    }
    // Overrides the hub dropped are written back as plain occurrences (push.ts, plain-occurrences.ts).
    const dropped = caps.overridesInMasterObject ? [] : droppedOverrides(events, agreed, zone);
    for (const d of dropped) {
      if (d.known.baseHash === objectHash([d.event]) || (caps.cancelledInstancesAsExdates && d.event.status === 'cancelled')) continue;
      items.push({ side: 'provider', op: 'update', uid, remoteId: d.known.remoteId, title: titleOf([d.event]), detail: d.event.status === 'cancelled' ? 'no longer an occurrence: cancelled' : 'back to the plain occurrence' });
    }
  }
  return items;
}
