/**
 * The paging and filter parameters every list route takes (limit, cursor, updatedSince, status, q)
 * and the page every list answers ({items, nextCursor}); hub/paging.ts has the rules.
 */
import type { ListFilter, PageRequest } from '../hub/index.ts';
import { ApiError } from './errors.ts';

export interface ListQuery {
  limit?: number;
  cursor?: string;
  updatedSince?: string;
  status?: string;
  q?: string;
}

/** Querystring properties of a list route; `status` lists the route's states. */
export function listQueryProperties(states: readonly string[], statusMeans: string) {
  // State names are letters, digits, '_' and '-': literal in a pattern.
  const one = `(${states.join('|')})`;
  return {
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'page size, 1–1000 (default 100)' },
    cursor: { type: 'string', maxLength: 500, description: 'nextCursor of the previous page' },
    updatedSince: { type: 'string', format: 'date-time', description: 'only items changed at or after this instant' },
    status: { type: 'string', maxLength: 200, pattern: `^${one}(,${one})*$`, description: `only items in these states, comma-separated: ${statusMeans} (${states.join(', ')})` },
    q: { type: 'string', minLength: 1, maxLength: 200, description: 'only items whose text contains this, case-insensitively' },
  } as const;
}

export const pageOf = (item: object) =>
  ({
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'], description: 'pass as cursor for the next page; null on the last' } },
  }) as const;

export const encodeCursor = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
}

export function parseLimit(limit: number | undefined): number {
  const n = limit ?? 100;
  if (n < 1 || n > 1000) throw new ApiError('INVALID_REQUEST', 'querystring.limit must be between 1 and 1000');
  return n;
}

export function parseFilter(q: ListQuery): ListFilter {
  return {
    ...(q.updatedSince === undefined ? {} : { updatedSince: new Date(q.updatedSince) }),
    ...(q.status === undefined ? {} : { status: q.status.split(',') }),
    ...(q.q === undefined ? {} : { text: q.q }),
  };
}

/** Limit, cursor (`{after}`) and filters of a list keyed by id or sequence. */
export function parseList(q: ListQuery): { page: PageRequest; filter: ListFilter } {
  let after: string | null = null;
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    if (typeof c.after !== 'string') throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
    after = c.after;
  }
  return { page: { limit: parseLimit(q.limit), after }, filter: parseFilter(q) };
}

export const nextCursor = (next: string | null) => (next === null ? null : encodeCursor({ after: next }));
