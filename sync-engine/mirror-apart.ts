/**
 * A mirror copy on a provider that keeps a series in order (Graph refuses an occurrence moved onto
 * or past a neighbour, ErrorOccurrenceCrossingBoundary) cannot hold an occurrence the source moved
 * that far. The copy's series has it cancelled and it is copied as a single event of its own, so
 * the copy calendar is busy exactly when the source is, at the provider as in the store.
 */
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import type { Calendar } from '../shared/model/index.ts';
import type { ConnectorCapabilities } from '../connectors/index.ts';
import type { TenantStore } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { crossedNeighbour } from './occurrence-order.ts';
import { isOccurrence } from './plain-occurrences.ts';

/** What the target calendar's provider can hold; null without a calendar or account. */
export async function targetCapabilities(deps: EngineDeps, t: TenantStore, cal: Calendar | null): Promise<ConnectorCapabilities | null> {
  const account = cal && (await t.accounts.get(cal.accountId));
  if (!cal || !account) return null;
  return deps.capabilities ? deps.capabilities(account.provider) : (await deps.connect(account, cal)).connector.capabilities;
}

/**
 * `series` with the occurrences it cannot hold cancelled; `apart`: those occurrences, as they were.
 * `wasApart`: one held apart before stays apart though it no longer crosses, since the provider
 * cannot bring an occurrence it cancelled back (Graph), and the copy would lose it.
 */
export function holdApart(events: CanonicalEvent[], zone: string, wasApart: (o: CanonicalEvent) => boolean = () => false): { series: CanonicalEvent[]; apart: CanonicalEvent[] } {
  let series = events;
  const apart: CanonicalEvent[] = [];
  // In series order, so that which of two crossing occurrences goes apart does not depend on row order.
  const overrides = events.filter((e) => e.originalStart && e.status !== 'cancelled').sort((a, b) => (eventTimeKey(a.originalStart!) < eventTimeKey(b.originalStart!) ? -1 : 1));
  for (const o of overrides) {
    if (!wasApart(o) && !crossedNeighbour(series, o, zone)) continue;
    series = series.map((e) => (e === o ? { ...e, status: 'cancelled' as const } : e));
    apart.push(o);
  }
  return { series, apart };
}

/** The link key of an occurrence held apart: one per source occurrence, beside its series' own. */
export const apartKey = (sourceUid: string, o: CanonicalEvent) => `${sourceUid}\u0001${eventTimeKey(o.originalStart!)}`;

export const asSingle = (o: CanonicalEvent, uid: string): CanonicalEvent => ({ ...o, uid, originalStart: null, recurrence: null });

/**
 * `copies` (one per source event, in the same order) without the overrides whose original start
 * is no longer an occurrence of the source's series; `orphans`: the live ones. Google keeps an
 * exception at its old original start when its series moves (A.3: `originalStartTime` is
 * immutable), and lists it; a copy's override there names an instance the copy's series does not
 * have, so Google answered its write 404 and the copy never blocked that time. Such an exception
 * is copied as a single event of its own; only where the target keeps overrides as objects of
 * their own (CalDAV holds the whole UID in one object).
 */
export function orphansApart(source: CanonicalEvent[], copies: CanonicalEvent[], zone: string): { series: CanonicalEvent[]; orphans: CanonicalEvent[] } {
  const master = source.find((e) => e.originalStart === null);
  if (!master?.recurrence) return { series: copies, orphans: [] };
  const series: CanonicalEvent[] = [];
  const orphans: CanonicalEvent[] = [];
  source.forEach((e, i) => {
    const copy = copies[i]!;
    if (!e.originalStart || isOccurrence(master, e.originalStart, zone)) series.push(copy);
    else if (copy.status !== 'cancelled') orphans.push(copy);
  });
  return { series, orphans };
}
