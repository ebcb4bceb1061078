/**
 * Cursor pages and filters of list use cases. Every list is ordered by one stable key (an id, or a
 * sequence); a page continues strictly after the last key shown, so items neither repeat nor go
 * missing while others are added (new ones appear on a later page when their key sorts after it).
 */
export interface ListFilter {
  /** Only items changed at or after this instant. */
  updatedSince?: Date;
  /** Only items in one of these states (each list says what its states are). */
  status?: string[];
  /** Only items whose text (names, titles, URLs, …) contains this, case-insensitively. */
  text?: string;
}

export interface PageRequest {
  limit: number;
  /** The key of the last item of the previous page, or null for the first. */
  after: string | null;
}

export interface Listed<T> {
  items: T[];
  /** The key to continue after, or null when this was the last page. */
  next: string | null;
}

export interface ListFields<T> {
  key(t: T): string;
  updatedAt(t: T): string | Date | null;
  status(t: T): string | null;
  text(t: T): Array<string | null | undefined>;
}

export function matches<T>(t: T, f: ListFilter, fields: Omit<ListFields<T>, 'key'>): boolean {
  if (f.updatedSince) {
    const at = fields.updatedAt(t);
    if (at === null || new Date(at).getTime() < f.updatedSince.getTime()) return false;
  }
  if (f.status?.length && !f.status.includes(fields.status(t) ?? '')) return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (!fields.text(t).some((s) => typeof s === 'string' && s.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** One page of a list read whole (lists of tens to thousands: accounts, calendars, rules, endpoints, conflicts). */
export function pageList<T>(all: T[], page: PageRequest, filter: ListFilter, fields: ListFields<T>): Listed<T> {
  const kept = all
    .filter((t) => (page.after === null || fields.key(t) > page.after) && matches(t, filter, fields))
    .sort((a, b) => (fields.key(a) < fields.key(b) ? -1 : fields.key(a) > fields.key(b) ? 1 : 0));
  const items = kept.slice(0, page.limit);
  return { items, next: kept.length > page.limit ? fields.key(items[items.length - 1]!) : null };
}
