/**
 * `calhub channels renew <calendarId> | --expiring-within 1h`: the supervisor renews (Graph) or
 * replaces (Google) those channels now, instead of at its next pass. The same pass the maintenance
 * tick runs; the CLI only decides which rows are due. A calendar polled because its channel could
 * not be created gets a new try now (the remedy operations.md gives after fixing the cause), by
 * name and with --expiring-within alike: it has no channel, so nothing of it is further from lapsing.
 */
import { markForRenewal } from '../../shared/store/index.ts';
import { MissingError, RefusedError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { listChannels, pushFellBack, type ChannelRow } from './list-channels.ts';

export interface RenewOutcome {
  calendarId: string;
  tenantId: string;
  provider: string;
  before: { channelId: string | null; expiresAt: string | null };
  after: { channelId: string | null; expiresAt: string | null; state: string };
  /** The supervisor pass's outcome (created, renewed, replaced, failed, …), or why none ran. */
  outcome: string;
  /** Why the pass failed or left the calendar polled (`CODE: message`, as the row keeps it); null otherwise. */
  error: string | null;
}

export async function renewChannels(hub: Hub, which: { calendarId: string } | { expiringWithinMs: number; tenantId?: string }): Promise<RenewOutcome[]> {
  if (!hub.config.publicUrl) throw new RefusedError('push channels are off: CALHUB_PUBLIC_URL is not set, so there is nothing to renew (calendars are polled)');
  const now = new Date();
  const all = await listChannels(hub, 'tenantId' in which ? { tenantId: which.tenantId } : {}, now);
  let picked;
  if ('calendarId' in which) {
    picked = all.filter((c) => c.calendarId === which.calendarId);
    if (picked.length === 0) throw new MissingError('channel for calendar', which.calendarId);
  } else {
    const until = now.getTime() + which.expiringWithinMs;
    const due = (c: ChannelRow) => ['active', 'renew', 'silent'].includes(c.state) && c.expiresAt !== null && Date.parse(c.expiresAt) <= until;
    picked = all.filter((c) => due(c) || pushFellBack(c));
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
      error: outcome === 'failed' || outcome === 'polling' ? (after?.lastError ?? null) : null,
    });
  }
  return out;
}
