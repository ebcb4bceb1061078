/**
 * Progress of long work on stderr (stdout stays the result): on a terminal one bar per calendar,
 * redrawn in place; otherwise a plain line whenever a calendar's state or counts change.
 */
import type { CalendarProgressView, CopyProgress } from '../hub/index.ts';

const WIDTH = 20;

/**
 * While a calendar is pulled the hub does not know how many items the provider will list, so a
 * running pull with nothing left to write shows a moving block, not a share it cannot know; local
 * writes still to send do have a known total.
 */
function bar(p: CalendarProgressView, tick: number): string {
  if (p.state === 'running' && p.writesLeft === 0) {
    const at = tick % (WIDTH - 3);
    return `[${'.'.repeat(at)}###${'.'.repeat(WIDTH - 3 - at)}]`;
  }
  const total = p.stored + p.writesLeft;
  const share = p.state === 'done' ? 1 : p.state === 'waiting' || total === 0 ? 0 : p.stored / total;
  const filled = Math.round(share * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
}

const line = (p: CalendarProgressView) => `${p.name} (${p.id}): ${p.state}, ${p.stored} stored, ${p.writesLeft} writes left${p.error ? `: ${p.error}` : ''}`;

export class ProgressView {
  private drawn = 0;
  private tick = 0;
  private last = new Map<string, string>();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly tty = out.isTTY === true,
  ) {}

  update(rows: CalendarProgressView[]): void {
    if (this.tty) {
      const w = Math.max(...rows.map((r) => r.name.length), 4);
      this.tick += 1;
      const text = rows.map((r) => `${bar(r, this.tick)} ${r.name.padEnd(w)}  ${r.state.padEnd(7)}  ${String(r.stored).padStart(6)} stored  ${String(r.writesLeft).padStart(5)} writes left${r.error ? `  ${r.error}` : ''}`);
      this.out.write(`${this.drawn ? `\x1b[${this.drawn}A` : ''}${text.map((t) => `\x1b[2K${t}`).join('\n')}\n`);
      this.drawn = text.length;
      return;
    }
    for (const r of rows) {
      const l = line(r);
      if (this.last.get(r.id) === l) continue;
      this.last.set(r.id, l);
      this.out.write(`calhub resync: ${l}\n`);
    }
  }
}

/**
 * A disconnect's copy deletes: on a terminal one counter line, redrawn in place; otherwise a
 * plain line as each calendar is done (a log keeps one line per calendar, not every delete).
 */
export class CopyDeleteView {
  private readonly calendars = new Map<string, CopyProgress>();
  private drawn = false;

  constructor(
    private readonly out: { write(text: string): unknown; isTTY?: boolean } = process.stderr,
    private readonly tty = out.isTTY === true,
    private readonly prefix = 'calhub accounts disconnect',
  ) {}

  update(p: CopyProgress): void {
    const before = this.calendars.get(p.calendarId);
    this.calendars.set(p.calendarId, p);
    if (this.tty) {
      const all = [...this.calendars.values()];
      const sum = (f: (c: CopyProgress) => number) => all.reduce((n, c) => n + f(c), 0);
      const failed = sum((c) => c.failed);
      const text = `deleting mirror copies in its calendars: ${sum((c) => c.deleted + c.failed)}/${sum((c) => c.total)} copies, ${all.filter((c) => c.done).length}/${all.length} calendars${failed ? `, ${failed} could not be deleted` : ''}`;
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
      return;
    }
    if (!p.done || before?.done) return;
    this.out.write(`${this.prefix}: ${p.name} (${p.calendarId}): ${p.deleted} of ${p.total} mirror copies deleted${p.failed ? `, ${p.failed} could NOT be deleted` : ''}\n`);
  }

  /** Ends the counter's line on a terminal. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
