/** What a PATCH leaves out so that Outlook's richer copy of a field survives the hub's write. */
import type { CanonicalEvent } from '../../shared/model/index.ts';

/**
 * `body` only when the description changed, `location` only when the location did. Outlook keeps
 * bodies as HTML and the connector reads them as text (`outlook.body-content-type="text"`), so
 * writing that text back replaced a formatted body with its plain rendering on every update. A
 * location written by name alone replaces every entry of `locations` (event.md: "any prior
 * locations in the locations collection would be removed and replaced by the new location
 * value"), so writing it back unchanged dropped a room's address and booking. A changed location
 * goes by name: the hub holds nothing more, and Graph then holds just that name, as documented.
 * `was`: what the provider holds (undefined: not known, both are sent). A changed description is
 * written as text and replaces the body whole, formatting and all: the description is plain text,
 * and text reads back exactly, where HTML made of it would come back through Exchange's converter
 * and could differ, making the hub write it again (README, "Decided").
 */
export function keepUnchanged(payload: Record<string, unknown>, was: Pick<CanonicalEvent, 'description' | 'location'> | undefined, e: CanonicalEvent): Record<string, unknown> {
  if (was === undefined) return payload;
  if ((was.description ?? '') === (e.description ?? '')) delete payload.body;
  if ((was.location ?? '') === (e.location ?? '')) delete payload.location;
  return payload;
}
