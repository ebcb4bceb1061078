import { write } from './hosted.ts';

/** Human-readable by default, `--json` for scripts: one JSON document on stdout. */
export function print(json: boolean, data: unknown, human: () => string): void {
  write('stdout', json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function warnProblems(command: string, problems: Array<{ calendarId: string; error: string }>): void {
  for (const p of problems) write('stderr', `calhub ${command}: warning: calendar ${p.calendarId}: ${p.error}\n`);
}
