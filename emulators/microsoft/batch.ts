/**
 * JSON batching, `POST /v1.0/$batch` (provider-facts B.7): at most 20 requests, each answered in
 * `responses[]` with its own status, headers and body; `dependsOn` is accepted and, since the
 * emulator runs them one after another anyway, needs nothing more. Each request is routed exactly
 * as if it came alone (auth is the batch's), so injected faults and 412s happen per request.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { routeGraph, type Caller } from './graph-routes.ts';
import { GraphHttpError, prefsOf, readJson } from './http.ts';
import type { EmulatorState } from './state.ts';

/** "JSON batch requests are currently limited to 20 individual requests" (Graph JSON batching). */
export const MAX_BATCH = 20;

interface BatchRequest { id?: unknown; method?: unknown; url?: unknown; headers?: Record<string, string>; body?: unknown }

function fakeRequest(method: string, url: string, headers: Record<string, string>, body: unknown): IncomingMessage {
  const req = Readable.from(body === undefined ? [] : [Buffer.from(JSON.stringify(body))]) as unknown as IncomingMessage;
  req.method = method;
  req.url = url;
  req.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return req;
}

export async function handleBatch(s: EmulatorState, req: IncomingMessage, caller: Caller): Promise<{ responses: unknown[] }> {
  const { requests } = await readJson(req);
  if (!Array.isArray(requests) || requests.length === 0) throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > MAX_BATCH) throw new GraphHttpError(400, 'BadRequest', `Batch request contains more than ${MAX_BATCH} requests.`);
  const ids = new Set<string>();
  for (const r of requests as BatchRequest[]) {
    if (typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string' || ids.has(r.id)) {
      throw new GraphHttpError(400, 'BadRequest', 'Each batch request needs a unique id, a method and a url.');
    }
    ids.add(r.id);
  }
  const responses: unknown[] = [];
  for (const r of requests as Array<Required<Pick<BatchRequest, 'headers'>> & { id: string; method: string; url: string; body?: unknown }>) {
    const path = `/v1.0${r.url.startsWith('/') ? '' : '/'}${r.url}`;
    const sub = fakeRequest(r.method.toUpperCase(), path, r.headers ?? {}, r.body);
    const url = new URL(path, s.baseUrl || 'http://localhost');
    let status = 500;
    try {
      const fault = s.takeFault(sub.method!, url.pathname.slice('/v1.0'.length));
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault && !fault.dropResponse && fault.status >= 400) throw new GraphHttpError(fault.status, fault.code ?? 'generalException', fault.message ?? 'Injected failure.', fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
      const result = await routeGraph(s, sub, url, caller, prefsOf(sub));
      status = result.status;
      if (fault?.emptyBody) responses.push({ id: r.id, status: (status = fault.status), headers: {} });
      else responses.push({ id: r.id, status, headers: { ...(result.body === undefined ? {} : { 'content-type': 'application/json' }), ...result.headers }, ...(result.body === undefined ? {} : { body: result.body }) });
    } catch (e) {
      const err = e instanceof GraphHttpError ? e : new GraphHttpError(500, 'generalException', e instanceof Error ? e.message : 'internal error');
      status = err.status;
      responses.push({ id: r.id, status, headers: { 'content-type': 'application/json', ...err.headers }, body: { error: { code: err.code, message: err.message } } });
    }
    s.record({ method: sub.method!, path: url.pathname, query: url.search, prefer: (sub.headers.prefer as string | undefined) ?? null, ifMatch: (sub.headers['if-match'] as string | undefined) ?? null, status, at: new Date().toISOString(), inBatch: true });
  }
  return { responses };
}
