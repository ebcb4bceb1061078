/**
 * `calhub webhooks …`: the same operations as /v1/webhooks. Deliveries these commands make owed
 * (enable, replay) are sent by the running worker: its sweep finds them within seconds.
 */
import { HubError, ValidationError } from '../../shared/errors.ts';
import type { DeliveryRow, EndpointView, RotationInProgressError, WebhookDeps, WebhookEndpointRow } from '../../hub/index.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { hostingHub } from '../hosted.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

type Values = Record<string, string | boolean | undefined>;

const tenantOf = (v: Values): string => {
  if (typeof v.tenant !== 'string' || !v.tenant) throw new ValidationError('missing --tenant');
  return v.tenant;
};
const idOf = (positionals: string[], usage: string): string => {
  if (!positionals[0]) throw new ValidationError(`usage: ${usage}`);
  return positionals[0];
};
const eventsOf = (v: unknown): string[] | undefined => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

const withDeps = <T>(fn: (deps: WebhookDeps) => Promise<T>): Promise<T> => withHub({}, (hub) => fn(hub.webhooks));

const views = async (d: WebhookDeps, tenantId: string, rows: WebhookEndpointRow[]) => (await hubApi()).viewWebhookEndpoints(d, tenantId, rows);
const eventsCell = (v: EndpointView) => (v.allEvents ? 'all (*)' : v.events.join(','));
const owedCell = (v: EndpointView) => `${v.pendingMessages}${v.pendingMessagesCapped ? '+' : ''}`;
const healthCell = (v: EndpointView) => (v.health.state === 'healthy' ? 'healthy' : `failing since ${v.health.failingSince ?? '?'} (${v.health.consecutiveFailures})`);
const lastErrorCell = (v: EndpointView) => (v.health.lastError ? `${v.health.lastError} at ${v.health.lastErrorAt ?? '?'}` : '');
const rowsTable = (rows: EndpointView[]) =>
  table([
    ['ENDPOINT', 'URL', 'EVENTS', 'STATUS', 'HEALTH', 'NEXT RETRY', 'OWED', 'LAST ERROR', 'DISABLED BECAUSE'],
    ...rows.map((v) => [v.id, v.url, eventsCell(v), v.status, healthCell(v), v.health.nextRetryAt ?? '', owedCell(v), lastErrorCell(v), v.disabledReason ?? '']),
  ]);
const details = (v: EndpointView) =>
  table([
    ['endpoint', v.id],
    ['url', v.url],
    ['description', v.description ?? ''],
    ['events', eventsCell(v)],
    ['status', v.status],
    ...(v.status === 'disabled' ? [['disabled', `${v.disabledAt ?? ''}: ${v.disabledReason ?? ''}`]] : []),
    ['health', v.health.state],
    ['failing since', v.health.failingSince ?? ''],
    ['failures', String(v.health.consecutiveFailures)],
    ['next retry', v.health.nextRetryAt ?? ''],
    ['last error', lastErrorCell(v)],
    ['owed messages', owedCell(v)],
    ['previous secret valid until', v.previousSecretValidUntil ?? ''],
  ]);

const common = { tenant: { type: 'string' as const }, json: { type: 'boolean' as const } };

export const webhooksCreate: Command = {
  name: 'webhooks create',
  usage: 'calhub webhooks create --tenant <id> --url <https://…> --events <type,type|*> [--description <text>] [--json]',
  summary: summaryOf('webhooks create'),
  options: { ...common, url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' } },
  async run({ values }) {
    const tenantId = tenantOf(values);
    if (typeof values.url !== 'string') throw new ValidationError('missing --url');
    const events = eventsOf(values.events);
    if (!events) throw new ValidationError('missing --events (comma-separated types, or *)');
    const row = await withDeps(async (d) => {
      const created = await (await hubApi()).createWebhookEndpoint(d, tenantId, { url: values.url as string, events, description: (values.description as string | undefined) ?? null });
      return { ...(await views(d, tenantId, [created]))[0]!, secret: created.secret };
    });
    print(Boolean(values.json), row, () => `endpoint ${row.id} → ${row.url} (events: ${eventsCell(row)})\nsigning secret (shown once): ${row.secret}`);
    return EXIT.OK;
  },
};

export const webhooksList: Command = {
  name: 'webhooks list',
  usage: 'calhub webhooks list --tenant <id> [--json]',
  summary: summaryOf('webhooks list'),
  options: common,
  async run({ values }) {
    const tenantId = tenantOf(values);
    const rows = await withDeps(async (d) => views(d, tenantId, await (await hubApi()).listWebhookEndpoints(d, tenantId)));
    print(Boolean(values.json), rows, () => rowsTable(rows));
    return EXIT.OK;
  },
};

export const webhooksShow: Command = {
  name: 'webhooks show',
  usage: 'calhub webhooks show <endpointId> --tenant <id> [--json]',
  summary: summaryOf('webhooks show'),
  options: common,
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const id = idOf(positionals, this.usage);
    const v = await withDeps(async (d) => (await views(d, tenantId, [await (await hubApi()).getWebhookEndpoint(d, tenantId, id)]))[0]!);
    print(Boolean(values.json), v, () => details(v));
    return EXIT.OK;
  },
};

export const webhooksUpdate: Command = {
  name: 'webhooks update',
  usage: 'calhub webhooks update <endpointId> --tenant <id> [--url <url>] [--events <types>] [--description <text>] [--enable|--disable] [--json]',
  summary: summaryOf('webhooks update'),
  options: { ...common, url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' }, enable: { type: 'boolean' }, disable: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const id = idOf(positionals, this.usage);
    if (values.enable && values.disable) throw new ValidationError('--enable and --disable exclude each other');
    const enabled = values.enable ? true : values.disable ? false : undefined;
    const row = await withDeps(async (d) => {
      const updated = await (await hubApi()).updateWebhookEndpoint(d, tenantId, id, { url: values.url as string | undefined, events: eventsOf(values.events), description: values.description as string | undefined, enabled });
      return (await views(d, tenantId, [updated]))[0]!;
    });
    print(Boolean(values.json), row, () => rowsTable([row]));
    return EXIT.OK;
  },
};

export const webhooksDelete: Command = {
  name: 'webhooks delete',
  usage: 'calhub webhooks delete <endpointId> --tenant <id> [--json]',
  summary: summaryOf('webhooks delete'),
  options: common,
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const id = idOf(positionals, this.usage);
    await withDeps(async (d) => (await hubApi()).deleteWebhookEndpoint(d, tenantId, id));
    print(Boolean(values.json), { id, deleted: true }, () => `endpoint ${id} removed`);
    return EXIT.OK;
  },
};

export const webhooksRotateSecret: Command = {
  name: 'webhooks rotate-secret',
  usage: 'calhub webhooks rotate-secret <endpointId> --tenant <id> [--force] [--json]',
  summary: summaryOf('webhooks rotate-secret'),
  options: { ...common, force: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const id = idOf(positionals, this.usage);
    const hub = await hubApi();
    const r = await withDeps((d) => hub.rotateWebhookSecret(d, tenantId, id, { force: values.force === true })).catch((e: unknown) => {
      throw e instanceof hub.RotationInProgressError ? rotationRefused(e) : e;
    });
    print(Boolean(values.json), r, () => `new signing secret (shown once): ${r.secret}\nthe old secret signs too until ${r.previousSecretValidUntil}`);
    return EXIT.OK;
  },
};

/**
 * A refused rotation as an operator reads it: when it becomes possible, first and plainly, and the
 * two ways not to wait. Exit 2 (main.ts): nothing ran, and the choice is the operator's.
 */
function rotationRefused(e: RotationInProgressError): Error {
  const at = e.possibleAt.toISOString();
  const mins = Math.max(1, Math.ceil((e.possibleAt.getTime() - Date.now()) / 60_000));
  const wait = mins >= 60 ? `${Math.floor(mins / 60)} h ${mins % 60} min` : `${mins} min`;
  return new HubError(
    e.code,
    'never',
    `refused: the secret replaced by the last rotation still signs; rotating again is possible at ${at} (in ${wait}). ` +
      `Now instead: \`calhub webhooks retire-previous-secret ${e.endpointId}\` once every receiver verifies with the current secret, then rotate; or --force to rotate and end that secret at once.`,
  );
}

export const webhooksRetirePreviousSecret: Command = {
  name: 'webhooks retire-previous-secret',
  usage: 'calhub webhooks retire-previous-secret <endpointId> --tenant <id> [--json]',
  summary: summaryOf('webhooks retire-previous-secret'),
  options: common,
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const r = await withDeps(async (d) => (await hubApi()).retirePreviousWebhookSecret(d, tenantId, idOf(positionals, this.usage)));
    print(Boolean(values.json), r, () =>
      r.retired ? `the previous secret of ${r.id} no longer signs (it would have until ${r.wouldHaveSignedUntil}); only the current secret signs` : `no previous secret of ${r.id} was signing: only the current secret signs`,
    );
    return EXIT.OK;
  },
};

/**
 * Where a test send went from, said with its result: the receiver's trust of calhub's TLS client
 * (a private CA through NODE_EXTRA_CA_CERTS), a proxy or a firewall are the sending process's. Run
 * by a running `calhub start` it is the process that delivers; run here, a pass says nothing of
 * the worker's environment (an outside team's test passed while the worker failed on a
 * self-signed certificate).
 */
function sentFromLine(by: 'hub' | 'cli'): string {
  return by === 'hub'
    ? 'sent by the running `calhub start`, the process that also delivers this endpoint\'s webhooks'
    : 'sent from this CLI process: deliveries are sent by `calhub worker` (or `calhub start`), whose trust store (NODE_EXTRA_CA_CERTS), proxy and network may differ';
}

function testResultText(r: { ok: boolean; messageId: string; status?: number | null; latencyMs?: number | null; error?: string | null; endpointDisabled: boolean; disabledReason: string | null }, by: 'hub' | 'cli'): string {
  const outcome = r.ok ? `delivered ${r.messageId}: HTTP ${r.status} in ${r.latencyMs} ms` : `not delivered: ${r.error}${r.endpointDisabled ? `\nthe endpoint is disabled: ${r.disabledReason ?? ''}` : ''}`;
  return `${outcome}\n${sentFromLine(by)}`;
}

export const webhooksTest: Command = {
  name: 'webhooks test',
  usage: 'calhub webhooks test <endpointId> --tenant <id> [--json]',
  summary: summaryOf('webhooks test'),
  options: common,
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const by = hostingHub() ? 'hub' : 'cli';
    const r = await withDeps(async (d) => (await hubApi()).testWebhookEndpoint(d, tenantId, idOf(positionals, this.usage)));
    print(Boolean(values.json), { ...r, sentFrom: by }, () => testResultText(r, by));
    return r.ok ? EXIT.OK : EXIT.FAILED;
  },
};

export const webhooksDeliveries: Command = {
  name: 'webhooks deliveries',
  usage: 'calhub webhooks deliveries <endpointId> --tenant <id> [--limit <n>] [--json]',
  summary: summaryOf('webhooks deliveries'),
  options: { ...common, limit: { type: 'string' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError('--limit must be 1..1000');
    const view = await withDeps(async (d) => (await hubApi()).webhookDeliveryView(d, tenantId, idOf(positionals, this.usage), limit));
    // JSON: the same array as before, each row with `beingTried`; the tried message last when older than the page.
    print(Boolean(values.json), view.rows, () => deliveriesText(view, Date.now()));
    return EXIT.OK;
  },
};

/**
 * The deliveries table, under a line naming the message the endpoint is being tried with (its
 * attempts, last answer, next try): with more owed than the page, newest first, it was off the page.
 */
export function deliveriesText(view: { rows: DeliveryRow[]; tried: DeliveryRow | null; triedOffPage: boolean }, now: number): string {
  const t = view.tried;
  const header = t
    ? `Being tried: ${t.messageId} (${t.type}, owed since ${t.createdAt}): ${t.attempts} attempt(s)${t.lastStatus !== null ? `, last HTTP ${t.lastStatus}` : ''}${t.lastError ? ` (${t.lastError})` : ''}, next retry ${nextRetryCell(t.nextAttemptAt, now) || '-'}${view.triedOffPage ? '; older than this page, listed last' : ''}`
    : 'Being tried: nothing owed';
  return [
    header,
    table([
      ['MESSAGE', 'TYPE', 'STATUS', 'ATTEMPTS', 'HTTP', 'MS', 'NEXT RETRY', 'ERROR'],
      ...view.rows.map((l) => [`${l.beingTried ? '* ' : ''}${l.messageId}`, l.type, l.status, String(l.attempts), String(l.lastStatus ?? ''), String(l.latencyMs ?? ''), nextRetryCell(l.nextAttemptAt, now), l.lastError ?? '']),
    ]),
  ].join('\n');
}

/**
 * A pending delivery's next try as an operator reads it: one already due (never tried yet, or its
 * backoff over) showed the time it became due, a time in the past, as if the retry were late.
 */
function nextRetryCell(nextAttemptAt: string | null, now: number): string {
  if (nextAttemptAt === null) return '';
  return Date.parse(nextAttemptAt) <= now ? 'due now' : nextAttemptAt;
}

export const webhooksReplay: Command = {
  name: 'webhooks replay',
  usage: 'calhub webhooks replay <endpointId> --tenant <id> --since <ISO time> [--json]',
  summary: summaryOf('webhooks replay'),
  options: { ...common, since: { type: 'string' } },
  async run({ values, positionals }) {
    const tenantId = tenantOf(values);
    if (typeof values.since !== 'string') throw new ValidationError('missing --since <ISO time>');
    const r = await withDeps(async (d) => (await hubApi()).replayWebhooks(d, tenantId, idOf(positionals, this.usage), new Date(values.since as string)));
    print(Boolean(values.json), r, () => `${r.messages} message(s) since ${r.since} owed to ${r.id} again; the worker sends them`);
    return EXIT.OK;
  },
};

export const WEBHOOK_COMMANDS = [webhooksCreate, webhooksList, webhooksShow, webhooksUpdate, webhooksDelete, webhooksRotateSecret, webhooksRetirePreviousSecret, webhooksTest, webhooksDeliveries, webhooksReplay];
