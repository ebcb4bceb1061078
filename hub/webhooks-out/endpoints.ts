/**
 * The webhook endpoint operations, once, for the API and the CLI: register (secret shown once,
 * stored encrypted), list, read, change, remove, rotate the secret (old and new both sign for
 * 24 h), send a test, read the delivery log, replay.
 */
import type { KeyRing } from '../../oauth/index.ts';
import { HubError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { resolveAllowed, SsrfBlockedError, type Resolver } from '../../shared/net/index.ts';
import { newId, WEBHOOK_EVENT_TYPES, webhookDeliveries as wd, type DeliveryLogEntry, type DeliveryStream, type Store, type WebhookEndpointRow } from '../../shared/store/index.ts';
import { disableGone } from './gone.ts';
import { sendWebhook, endpointUrlProblem, type SendResult } from './send.ts';
import { newWebhookSecret, signWebhook } from './sign.ts';
import { endpointView, OWED_COUNT_CAP, type EndpointView } from './view.ts';

export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface WebhookDeps {
  store: Store;
  keyring: KeyRing;
  allowPrivateNetworks: boolean;
  /** Starts delivery of the given streams (the queue); absent, the worker's sweep picks them up. */
  kick?: (streams: DeliveryStream[]) => Promise<void>;
  resolver?: Resolver;
  now?: () => Date;
}

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string | null;
}

const KNOWN = new Set<string>([...WEBHOOK_EVENT_TYPES, '*']);

function checkEvents(events: string[]): string[] {
  if (events.length === 0) throw new ValidationError('events must name at least one event type (or "*")');
  const unknown = events.filter((e) => !KNOWN.has(e));
  if (unknown.length) throw new ValidationError(`unknown event type(s): ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}, *`);
  return [...new Set(events)];
}

/** The form, then (unless private networks are allowed) where the host resolves to. */
async function checkUrl(deps: WebhookDeps, url: string): Promise<string> {
  const problem = endpointUrlProblem(url, deps.allowPrivateNetworks);
  if (problem) throw new ValidationError(`url ${problem}`);
  if (!deps.allowPrivateNetworks) {
    const host = new URL(url).hostname;
    try {
      await resolveAllowed(host, deps.resolver);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A resolver that could not answer now is no verdict on the URL: try again, not fix it.
      if (code === 'EAI_AGAIN' || code === 'ETIMEOUT' || code === 'ESERVFAIL') throw new HubError('DNS_UNAVAILABLE', 'backoff', `url: ${host} could not be resolved just now (${code}); try again`);
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw new ValidationError(`url refused: ${host} does not resolve to any address`);
      // The address it resolved to stays out of the answer: a tenant could otherwise map an internal network's names.
      if (e instanceof SsrfBlockedError) throw new ValidationError(`url refused: ${host} resolves to an address calhub does not send to (private, loopback or reserved; WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true allows them)`);
      throw new ValidationError(`url refused: ${(e as Error).message}`);
    }
  }
  return url;
}

export async function createWebhookEndpoint(deps: WebhookDeps, tenantId: string, input: EndpointInput): Promise<WebhookEndpointRow & { secret: string }> {
  const events = checkEvents(input.events);
  const url = await checkUrl(deps, input.url);
  const secret = newWebhookSecret();
  const row = await deps.store.tenant(tenantId).webhooks.create({ url, description: input.description ?? null, eventTypes: events, encryptedSecret: deps.keyring.encrypt(secret) });
  return { ...row, secret };
}

export const listWebhookEndpoints = (deps: WebhookDeps, tenantId: string) => deps.store.tenant(tenantId).webhooks.list();

/** Endpoints as shown, with what each owes (one bounded count per endpoint, in one query). */
export async function viewWebhookEndpoints(deps: WebhookDeps, tenantId: string, rows: WebhookEndpointRow[]): Promise<EndpointView[]> {
  const owed = await deps.store.tenant(tenantId).webhooks.owedCounts(rows.map((r) => r.id), OWED_COUNT_CAP);
  return rows.map((r) => endpointView(r, owed.get(r.id) ?? 0));
}

export async function getWebhookEndpoint(deps: WebhookDeps, tenantId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await deps.store.tenant(tenantId).webhooks.get(id);
  if (!row) throw new NotFoundError(`webhook endpoint ${id}`);
  return row;
}

export async function updateWebhookEndpoint(
  deps: WebhookDeps,
  tenantId: string,
  id: string,
  patch: { url?: string; events?: string[]; description?: string | null; enabled?: boolean },
): Promise<WebhookEndpointRow> {
  const was = patch.enabled || patch.url !== undefined ? await deps.store.tenant(tenantId).webhooks.get(id) : null;
  const row = await deps.store.tenant(tenantId).webhooks.update(id, {
    url: patch.url === undefined ? undefined : await checkUrl(deps, patch.url),
    eventTypes: patch.events === undefined ? undefined : checkEvents(patch.events),
    description: patch.description,
    status: patch.enabled === undefined ? undefined : patch.enabled ? 'active' : 'disabled',
  });
  if (!row) throw new NotFoundError(`webhook endpoint ${id}`);
  // Re-enabled: the messages composed while it was disabled are owed too (none was made a delivery
  // for it then; a change made just before the disable counts when composed after it), and what it
  // is owed goes out now rather than at the next sweep. Enabled first, then the backfill under the
  // composer's lock, so a message composed meanwhile gets its delivery either way (the backfill
  // skips what exists).
  if (patch.enabled && was?.status === 'disabled' && was.disabledAt) await wd.owedSince(deps.store.db, tenantId, id, new Date(was.disabledAt), deps.now?.() ?? new Date());
  // And a head that was backing off is tried now, not at its scheduled retry: the tenant says the
  // receiver is back, or (a new URL) where it is now. The endpoint's backoff goes with it. Enabling
  // an endpoint that is active but failing is how an operator retries it now: without it, a
  // receiver back up waited for the next backoff step (up to 8 h) and nothing could shorten that.
  const failing = was !== null && was.status === 'active' && was.failures > 0;
  const fixed = (patch.enabled && (was?.status === 'disabled' || failing)) || (patch.url !== undefined && was !== null && patch.url !== was.url);
  if (fixed) await wd.resetEndpointHealth(deps.store.db, id, deps.now?.() ?? new Date());
  if (fixed && deps.kick) {
    const due = await wd.dueStreams(deps.store.db, deps.now?.() ?? new Date(), 1000, id);
    if (due.length) await deps.kick(due);
  }
  // The answer shows the endpoint after the change: its health was just reset.
  return fixed ? ((await deps.store.tenant(tenantId).webhooks.get(id)) ?? row) : row;
}

export async function deleteWebhookEndpoint(deps: WebhookDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deps.store.tenant(tenantId).webhooks.delete(id))) throw new NotFoundError(`webhook endpoint ${id}`);
}

/** 409: a rotation inside the last one's overlap; `possibleAt` is when a rotation needs no force. */
export class RotationInProgressError extends HubError {
  constructor(
    readonly endpointId: string,
    readonly possibleAt: Date,
  ) {
    super(
      'WEBHOOK_ROTATION_IN_PROGRESS',
      'never',
      `webhook endpoint ${endpointId}: the secret replaced by the last rotation still signs until ${possibleAt.toISOString()}; rotate again after that, retire that secret first (retire-previous-secret), or force it (--force, {"force": true}) to end that secret now`,
    );
  }
}

/**
 * A new secret; the one it replaces keeps signing for 24 h. A second rotation inside that window
 * is refused (409 WEBHOOK_ROTATION_IN_PROGRESS, naming when it is possible): it would drop the
 * first secret before its promised end. `force` rotates anyway and ends the older secret now.
 */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  tenantId: string,
  id: string,
  opts: { force?: boolean } = {},
): Promise<{ id: string; secret: string; previousSecretValidUntil: string }> {
  const secret = newWebhookSecret();
  const now = deps.now?.() ?? new Date();
  const until = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  const r = await deps.store.tenant(tenantId).webhooks.rotateSecret(id, deps.keyring.encrypt(secret), now, until, opts.force ?? false);
  if (!r) throw new NotFoundError(`webhook endpoint ${id}`);
  if (!r.rotated) throw new RotationInProgressError(id, r.overlapUntil);
  return { id, secret, previousSecretValidUntil: until.toISOString() };
}

/**
 * Ends the overlap of the last rotation now: the secret it replaced stops signing at once (every
 * receiver verifies with the new one already), instead of at the end of its 24 hours. Nothing to
 * end (no rotation, or its overlap is over) is no error: `retired` says whether one still signed.
 */
export async function retirePreviousWebhookSecret(deps: WebhookDeps, tenantId: string, id: string): Promise<{ id: string; retired: boolean; wouldHaveSignedUntil: string | null }> {
  const r = await deps.store.tenant(tenantId).webhooks.retirePreviousSecret(id, deps.now?.() ?? new Date());
  if (!r) throw new NotFoundError(`webhook endpoint ${id}`);
  return { id, retired: r.retiredUntil !== null, wouldHaveSignedUntil: r.retiredUntil?.toISOString() ?? null };
}

/**
 * Sends a signed `webhook.test` message now and reports how the endpoint answered (not logged as a
 * delivery). A 410 Gone disables the endpoint, as it does for a delivery (gone.ts): the test said
 * the URL is gone just as surely.
 */
export async function testWebhookEndpoint(deps: WebhookDeps, tenantId: string, id: string): Promise<SendResult & { messageId: string; endpointDisabled: boolean; disabledReason: string | null }> {
  const row = await getWebhookEndpoint(deps, tenantId, id);
  const s = (await deps.store.tenant(tenantId).webhooks.secrets(id))!;
  const now = deps.now?.() ?? new Date();
  const secrets = [deps.keyring.decrypt(s.secret)];
  if (s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now) secrets.push(deps.keyring.decrypt(s.previousSecret));
  const messageId = newId('msg');
  const body = JSON.stringify({ id: messageId, type: 'webhook.test', timestamp: now.toISOString(), data: { tenantId, endpointId: id } });
  const result = await sendWebhook(row.url, { ...signWebhook(messageId, new Date(), body, secrets) }, body, { allowPrivateNetworks: deps.allowPrivateNetworks, resolver: deps.resolver });
  let after = row;
  if (result.status === 410) {
    await disableGone(deps.store.db, id, deps.now?.() ?? new Date());
    after = await getWebhookEndpoint(deps, tenantId, id);
  }
  return { ...result, latencyMs: Math.round(result.latencyMs), messageId, endpointDisabled: after.status === 'disabled', disabledReason: after.disabledReason };
}

export async function webhookDeliveryLog(deps: WebhookDeps, tenantId: string, id: string, limit = 100, opts: Parameters<typeof wd.deliveryLog>[4] = {}): Promise<DeliveryLogEntry[]> {
  await getWebhookEndpoint(deps, tenantId, id);
  return wd.deliveryLog(deps.store.db, tenantId, id, limit, opts);
}

/** A delivery as `calhub webhooks deliveries` shows it: `beingTried` marks the owed message the endpoint is being tried with. */
export type DeliveryRow = DeliveryLogEntry & { beingTried: boolean };

/**
 * An endpoint's deliveries, newest first, `limit` of them, and always the message it is being
 * tried with (wd.triedDeliverySeq): when older than the page it comes last, after the page (an
 * outside operator with more owed messages than the page could not see the one tried, its
 * attempts and its last status). `tried`: that message, or null when nothing is owed.
 */
export async function webhookDeliveryView(deps: WebhookDeps, tenantId: string, id: string, limit: number): Promise<{ rows: DeliveryRow[]; tried: DeliveryRow | null; triedOffPage: boolean }> {
  const page = await webhookDeliveryLog(deps, tenantId, id, limit);
  const seq = await wd.triedDeliverySeq(deps.store.db, tenantId, id);
  const rows: DeliveryRow[] = page.map((l) => ({ ...l, beingTried: l.seq === seq }));
  let tried = rows.find((r) => r.beingTried) ?? null;
  const triedOffPage = seq !== null && tried === null;
  if (triedOffPage) {
    const [entry] = await wd.deliveryLog(deps.store.db, tenantId, id, 1, { beforeSeq: seq + 1 });
    if (entry?.seq === seq) rows.push((tried = { ...entry, beingTried: true }));
  }
  return { rows, tried, triedOffPage: triedOffPage && tried !== null };
}

/** Owes the endpoint again every message since `since` (receivers dedupe by webhook-id) and re-enables it. */
export async function replayWebhooks(deps: WebhookDeps, tenantId: string, id: string, since: Date): Promise<{ id: string; since: string; messages: number }> {
  if (Number.isNaN(since.getTime())) throw new ValidationError('since must be an ISO-8601 time');
  await getWebhookEndpoint(deps, tenantId, id);
  const { streams, count } = await wd.replayDeliveries(deps.store.db, tenantId, id, since, deps.now?.() ?? new Date());
  await wd.resetEndpointHealth(deps.store.db, id, deps.now?.() ?? new Date());
  if (streams.length && deps.kick) await deps.kick(streams);
  return { id, since: since.toISOString(), messages: count };
}
