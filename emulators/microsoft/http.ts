/** Request/response plumbing shared by the Graph, identity and control routes. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Graph error: rendered as `{error:{code,message,innerError}}` (provider-facts B.7). */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json; odata.metadata=minimal' } : {}), ...headers });
  res.end(text);
}

export function sendGraphError(res: ServerResponse, e: GraphHttpError): void {
  const requestId = randomUUID();
  sendJson(res, e.status, {
    error: {
      code: e.code,
      message: e.message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
    },
  }, e.headers);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* fall through */ }
  throw new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload.');
}

/** Parses `Prefer` into a map: `outlook.timezone`, `IdType`, `odata.maxpagesize`, … */
export function parsePrefer(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  const raw = req.headers.prefer;
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const [k, ...rest] = part.split('=');
      if (!k?.trim()) continue;
      out.set(k.trim().toLowerCase(), rest.join('=').trim().replace(/^"|"$/g, ''));
    }
  }
  return out;
}

export interface Prefs {
  timeZone: string | null;
  immutableIds: boolean;
  maxPageSize: number | null;
  bodyText: boolean;
}
export function prefsOf(req: IncomingMessage): Prefs {
  const p = parsePrefer(req);
  const size = Number(p.get('odata.maxpagesize'));
  return {
    timeZone: p.get('outlook.timezone') ?? null,
    immutableIds: (p.get('idtype') ?? '').toLowerCase() === 'immutableid',
    maxPageSize: Number.isInteger(size) && size > 0 ? size : null,
    bodyText: (p.get('outlook.body-content-type') ?? '').toLowerCase() === 'text',
  };
}
