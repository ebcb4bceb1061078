/**
 * `location` and `locations[]` as Graph keeps them (resources/event.md, resources/location.md):
 * the two always correspond; writing `location` alone replaces every prior entry of `locations`
 * with the new value ("any prior locations in the locations collection would be removed and
 * replaced by the new location value"), so a room is gone unless the write names it again.
 */
import type { EventData, GraphLocation } from './model.ts';

const FIELDS = ['displayName', 'locationEmailAddress', 'address', 'coordinates', 'locationUri', 'locationType', 'uniqueId', 'uniqueIdType'] as const;

/** locationType arrives in either case in the docs' requests ("Default"); Graph answers lower camel. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The docs' samples (user-post-events) echo a location given by name alone as
 * `{displayName, locationType: "default", uniqueId: displayName, uniqueIdType: "private"}`.
 */
function keep(l: GraphLocation, named: boolean): GraphLocation {
  const out: GraphLocation = {};
  for (const f of FIELDS) if (l[f] !== undefined && l[f] !== null) (out as Record<string, unknown>)[f] = l[f];
  out.displayName = out.displayName ?? '';
  out.locationType = lowerFirst(out.locationType ?? 'default');
  if (named && out.displayName && !out.uniqueId) Object.assign(out, { uniqueId: out.displayName, uniqueIdType: 'private' });
  out.uniqueIdType = lowerFirst(out.uniqueIdType ?? 'unknown');
  return out;
}

/** Several locations show in `location` as their names joined by "; " (user-post-events, multiple locations). */
function summary(list: GraphLocation[]): GraphLocation {
  if (list.length === 1) return list[0]!;
  const name = list.map((l) => l.displayName ?? '').filter(Boolean).join('; ');
  return keep({ displayName: name }, true);
}

/** Applies a write's `location` / `locations` to `next` (already merged with the write). */
export function applyLocations(next: EventData, patch: Partial<EventData>): void {
  const hasOne = patch.location !== undefined;
  const hasMany = patch.locations !== undefined;
  if (!hasOne && !hasMany) return;
  if (hasMany) {
    next.locations = (patch.locations ?? []).map((l) => keep(l, false));
    next.location = hasOne && patch.location ? keep(patch.location, true) : next.locations.length ? summary(next.locations) : keep({}, false);
    return;
  }
  next.location = keep(patch.location ?? {}, true);
  next.locations = next.location.displayName ? [next.location] : [];
}
