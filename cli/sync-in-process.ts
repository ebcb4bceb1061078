/**
 * Syncs calendars in this process when no worker is listening. The calendars' sync slots are
 * taken exactly as a worker takes them, so a failure is recorded on the calendar (stage failed,
 * last error) where `accounts list`, the API and the next resync see it, and a worker that
 * starts meanwhile cannot sync the same calendar twice.
 */
import { randomBytes } from 'node:crypto';
import { isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { settle } from '../sync-engine/index.ts';
import { calendarHealth } from './calendar-health.ts';
import { directDeps } from './engine-runtime.ts';
import type { Runtime } from './runtime.ts';

export interface Problem {
  calendarId: string;
  error: string;
}

export interface InProcessOutcome {
  /** calendar id -> why its sync failed (absent: it succeeded). */
  errors: Map<string, string>;
  fullListings: string[];
}

/** One line, with the error's stable code, and never a credential. */
export function describeError(e: unknown): string {
  const text = isHubError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return scrubSecrets(text);
}

export async function syncInProcess(rt: Runtime, tenantId: string, calendarIds: string[], opts: { full?: boolean } = {}): Promise<InProcessOutcome> {
  const t = rt.store.tenant(tenantId);
  const owner = `cli-${process.pid}-${randomBytes(4).toString('hex')}`;
  const errors = new Map<string, string>();
  const held: string[] = [];
  for (const id of calendarIds) {
    if (await t.calendars.claimSync(id, owner, rt.config.syncStaleRunMs)) held.push(id);
    else errors.set(id, 'another sync of this calendar is running; try again when it has finished');
  }
  let fullListings: string[] = [];
  try {
    const r = await settle(directDeps(rt), tenantId, held, { full: opts.full, isolate: true });
    for (const [id, e] of r.failures) errors.set(id, describeError(e));
    fullListings = r.fullListings;
  } catch (e) {
    for (const id of held) errors.set(id, describeError(e)); // the store itself failed: nothing is known to have worked
  } finally {
    for (const id of held) {
      const error = errors.get(id);
      await t.calendars.releaseSync(id, owner, error === undefined ? { ok: true } : { ok: false, error });
    }
  }
  return { errors, fullListings };
}

/**
 * For commands whose own change is already stored (rules, conflict resolutions): sync here and
 * name every calendar left with a problem, refused writes included.
 */
export async function syncFollowUp(rt: Runtime, tenantId: string, calendarIds: string[]): Promise<Problem[]> {
  const { errors } = await syncInProcess(rt, tenantId, calendarIds);
  const health = await calendarHealth(rt, tenantId, calendarIds);
  return health.flatMap((h) => {
    const error = errors.get(h.id) ?? h.error;
    return error ? [{ calendarId: h.id, error }] : [];
  });
}

export function warnProblems(command: string, problems: Problem[]): void {
  for (const p of problems) process.stderr.write(`calhub ${command}: warning: calendar ${p.calendarId}: ${p.error}\n`);
}
