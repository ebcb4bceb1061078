/**
 * `calhub channels renew <calendarId> | --expiring-within 1h`: the supervisor renews (Graph) or
 * replaces (Google) those channels now, instead of at its next pass. The same pass the maintenance
 * tick runs; the CLI only decides which rows are due.
 */
import { markForRenewal } from '../../shared/store/index.ts';
import { MissingError, RefusedError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { listChannels } from './list-channels.ts';

export interface RenewOutcome {
  calendarId: string;
  tenantId: string;
  provider: string;
  before: { channelId: string | null; expiresAt: string | null };
  after: { channelId: string | null; expiresAt: string | null; state: string };
  /** The supervisor pass's outcome (created, renewed, replaced, failed, …), or why none ran. */
  outcome: string;
}

export async function renewChannels(hub: Hub, which: { calendarId: string } | { expiringWithinMs: number; tenantId?: string }): Promise<RenewOutcome[]> {
  if (!hub.config.publicUrl) throw new RefusedError('push channels are off: CALHUB_PUBLIC_URL is not set, so there is nothing to renew (calendars are polled)');
  const now = new Date();
  const all = await listChannels(hub, 'tenantId' in which ? { tenantId: which.tenantId } : {}, now);
  let picked;
  if ('calendarId' in which) {
    picked = all.filter((c) => c.calendarId === which.calendarId);
    if (picked.length === 0) throw new MissingError('channel for calendar', which.calendarId);
    if (!['active', 'renew', 'silent'].includes(picked[0]!.state)) throw new RefusedError(`calendar ${which.calendarId} has no live channel to renew (state ${picked[0]!.state})`);
  } else {
    const until = now.getTime() + which.expiringWithinMs;
    picked = all.filter((c) => ['active', 'renew', 'silent'].includes(c.state) && c.expiresAt !== null && Date.parse(c.expiresAt) <= until);
  }
  await markForRenewal(hub.store.db, picked.map((c) => c.calendarId), now);
  const out: RenewOutcome[] = [];
  for (const c of picked) {
    const outcome = await hub.supervisor.checkCalendar(c.tenantId, c.calendarId);
    const after = (await listChannels(hub, { tenantId: c.tenantId })).find((x) => x.calendarId === c.calendarId);
    out.push({
      calendarId: c.calendarId,
      tenantId: c.tenantId,
      provider: c.provider,
      before: { channelId: c.channelId, expiresAt: c.expiresAt },
      after: { channelId: after?.channelId ?? null, expiresAt: after?.expiresAt ?? null, state: after?.state ?? 'gone' },
      outcome: outcome ?? 'not due (another pass holds it)',
    });
  }
  return out;
}
