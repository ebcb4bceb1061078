/**
 * Text the store cannot hold. PostgreSQL refuses a NUL character in `text` and `jsonb`, and a
 * lone UTF-16 surrogate cannot become UTF-8 at all: either one in a single field used to fail the
 * whole transaction it was written in. The edges (API, pull) check with this and refuse or
 * quarantine just that item.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Any NUL or surrogate at all: one scan that nearly every string fails, before the exact checks. */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Why a string cannot be stored, or null. */
export function stringProblem(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/** The first unstorable string anywhere in a JSON-like value, named by its path ("title", "attendees.0.name"). */
export function textProblem(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    const p = stringProblem(value);
    return p && `${path || 'value'} ${p}`;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = stringProblem(k);
    if (keyProblem) return `a field name under ${path || 'value'} ${keyProblem}`;
    const p = textProblem(v, path ? `${path}.${k}` : k);
    if (p) return p;
  }
  return null;
}

/** The same text with NUL characters and lone surrogates replaced by U+FFFD: for quarantine copies and messages. */
export function storableText(s: string): string {
  return s.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}
