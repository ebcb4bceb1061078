import { write } from './hosted.ts';

// C0 and C1 controls but newline and tab, DEL, and the bidirectional overrides and isolates.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for an operator's terminal: names and messages come from tenants and providers, and an
 * escape sequence or a bidi override in a calendar name must not recolour, rewrite or reorder what
 * `calhub` prints. Each such character is shown as its code point (`\u001b`).
 */
export function visible(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Line breaks and tabs too, inside one value: a name with a newline split a table row in two.
const BREAKS = /[\t\n\r]/g;

/** One value (a name) within a line or a table cell: its line breaks and tabs shown as code points, like other controls. */
export function oneLine(text: string): string {
  return visible(text).replace(BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A name in double quotes, on one line. */
export const quoted = (name: string): string => `"${oneLine(name)}"`;

/** Human-readable by default, `--json` for scripts: one JSON document on stdout (JSON escapes controls itself; bidi marks stay as sent). */
export function print(json: boolean, data: unknown, human: () => string): void {
  write('stdout', json ? `${JSON.stringify(data, null, 2)}\n` : `${visible(human())}\n`);
}

export function table(cells: string[][]): string {
  if (cells.length === 0) return '';
  // Escaped before measuring, so the columns line up with what is shown.
  const rows = cells.map((r) => r.map((c) => oneLine(c ?? '')));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function warnProblems(command: string, problems: Array<{ calendarId: string; error: string }>): void {
  for (const p of problems) write('stderr', visible(`calhub ${command}: warning: calendar ${p.calendarId}: ${p.error}`) + '\n');
}
