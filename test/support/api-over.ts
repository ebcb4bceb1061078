/**
 * The real API app over a model environment's store and connector (no queue: tests push with
 * settle), with an API key of its tenant, and a `call` that answers status and parsed JSON.
 */
import { buildApp } from '../../api/app.ts';
import { openHub, type Hub, type HubOptions } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import type { Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export interface ApiOver<R> {
  app: TestApp;
  hub: Hub;
  call(method: string, url: string, payload?: unknown): Promise<{ status: number; json: R }>;
}

/** `R`: the fields of the answers a test reads; `more`: hub options beside the store and connector (config, webhooks). */
export async function apiOver<R>(env: { store: Store; tenantId: string; deps: Pick<EngineDeps, 'connect'> }, connect = env.deps.connect, more: Partial<HubOptions> = {}): Promise<ApiOver<R>> {
  const hub = await openHub({ ...more, store: env.store, connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const app = await buildApp({ hub, probes: [] });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const call = async (method: string, url: string, payload?: unknown) => {
    const r = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: r.statusCode, json: (r.body ? JSON.parse(r.body) : null) as R };
  };
  return { app, hub, call };
}
