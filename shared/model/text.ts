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

/**
 * The first unstorable string anywhere in a JSON-like value, named by its path ("title",
 * "attendees.0.name"). Walked with a stack of its own: a request body nested a few thousand levels
 * deep overflowed the call stack of a recursive walk (500 instead of 400).
 */
export function textProblem(value: unknown, path = ''): string | null {
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const p = stringProblem(v);
      if (p) return `${at || 'value'} ${p}`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries = Object.entries(v);
    // Pushed last to first, so the first field's problem is the one named, as a recursive walk would.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      const keyProblem = stringProblem(k);
      if (keyProblem) return `a field name under ${at || 'value'} ${keyProblem}`;
      stack.push([child, at ? `${at}.${k}` : k]);
    }
  }
  return null;
}

/** Whether a JSON-like value nests arrays and objects more than `max` levels deep (walked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** The same text with NUL characters and lone surrogates replaced by U+FFFD: for quarantine copies and messages. */
export function storableText(s: string): string {
  return s.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}
