/**
 * The paged, filtered lists of the API (hub/paging.ts): one function per list route. The
 * unpaged list functions stay for the CLI.
 */
import type { WebhookDeps } from './webhooks-out/endpoints.ts';
import { listWebhookEndpoints, webhookDeliveryLog } from './webhooks-out/endpoints.ts';
import { listAccounts, listCalendars } from './accounts/list.ts';
import { listConflicts } from './conflicts.ts';
import type { Hub } from './open-hub.ts';
import { pageList, type ListFilter, type Listed, type PageRequest } from './paging.ts';
import { listRules } from './rules.ts';
import type { MirrorRuleRow } from '../shared/store/index.ts';

const byId = <T extends { id: string }>(t: T) => t.id;

/** Accounts by id; status: active | needs_reauth | disabled | error; text: external id, display name, provider. */
export async function pageAccounts(hub: Hub, tenantId: string, page: PageRequest, filter: ListFilter) {
  return pageList(await listAccounts(hub, tenantId), page, filter, { key: byId, updatedAt: (a) => a.updatedAt, status: (a) => a.status, text: (a) => [a.externalId, a.displayName, a.provider] });
}

/** Calendars by id; status: the sync stage (idle | scheduled | running | failed); text: name. */
export async function pageCalendars(hub: Hub, tenantId: string, accountId: string | undefined, page: PageRequest, filter: ListFilter) {
  return pageList(await listCalendars(hub, tenantId, accountId), page, filter, { key: byId, updatedAt: (c) => c.updatedAt, status: (c) => c.syncStage, text: (c) => [c.name, c.providerCalendarId] });
}

/** Mirror rules by id; updated: created; status: the mode (busy-block | full-copy); text: the calendar ids. */
export async function pageRules(hub: Hub, tenantId: string, page: PageRequest, filter: ListFilter) {
  const mode = (r: { config: unknown }) => ((r.config ?? {}) as { mode?: string }).mode ?? null;
  return pageList<MirrorRuleRow>(await listRules(hub, tenantId), page, filter, { key: byId, updatedAt: (r) => r.createdAt, status: mode, text: (r) => [r.sourceCalendarId, r.targetCalendarId] });
}

/** Conflicts by id; updated: resolved, else recorded; status: the outcome; text: UID and field names. */
export async function pageConflicts(hub: Hub, tenantId: string, open: boolean, page: PageRequest, filter: ListFilter) {
  // status names outcomes and, as the CLI's --open does, open | resolved; given both, both must match.
  const asked = filter.status ?? [];
  const states = asked.filter((s) => s === 'open' || s === 'resolved');
  const outcomes = asked.filter((s) => s !== 'open' && s !== 'resolved');
  const all = (await listConflicts(hub, tenantId, { open })).filter((c) => states.length === 0 || states.includes(c.resolvedAt ? 'resolved' : 'open'));
  return pageList(all, page, { ...filter, status: outcomes }, { key: byId, updatedAt: (c) => c.resolvedAt ?? c.createdAt, status: (c) => c.outcome, text: (c) => [c.uid, ...c.fields] });
}

/** Webhook endpoints by id; status: active | disabled; text: URL and description. */
export async function pageWebhookEndpoints(deps: WebhookDeps, tenantId: string, page: PageRequest, filter: ListFilter) {
  return pageList(await listWebhookEndpoints(deps, tenantId), page, filter, { key: byId, updatedAt: (e) => e.updatedAt, status: (e) => e.status, text: (e) => [e.url, e.description] });
}

/** An endpoint's deliveries, newest first (by message sequence); status: pending | delivered; text: the event type. */
export async function pageWebhookDeliveries(deps: WebhookDeps, tenantId: string, endpointId: string, page: PageRequest, filter: ListFilter) {
  const before = page.after === null ? null : Number(page.after);
  const rows = await webhookDeliveryLog(deps, tenantId, endpointId, page.limit + 1, { beforeSeq: before, ...filter });
  const items = rows.slice(0, page.limit);
  const listed: Listed<(typeof rows)[number]> = { items, next: rows.length > page.limit ? String(items[items.length - 1]!.seq) : null };
  return listed;
}
