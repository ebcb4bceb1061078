/** Minimal request/response plumbing for the emulator's node:http server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GoogleHttpError } from './errors.ts';

export interface Req {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Set by the auth step for API routes. */
  user?: { email: string; scope: string; clientId?: string };
  origin: string;
}

export interface Res {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export type Handler = (req: Req) => Res | Promise<Res>;

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  /** API routes need a bearer token; OAuth and control routes do not. */
  auth: boolean;
}

/** `/calendars/:calendarId/events` → a route with decoded params. */
export function route(method: string, path: string, handler: Handler, auth = true): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
  return { method, pattern, names, handler, auth };
}

export const ok = (json: unknown, status = 200): Res => ({ status, json });

export function parseQuery(url: URL): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = q[k];
    q[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return q;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    throw new GoogleHttpError(400, { domain: 'global', reason: 'parseError', message: 'Parse Error' });
  }
}

export function send(res: ServerResponse, out: Res): void {
  const headers: Record<string, string> = { ...out.headers };
  let body = '';
  if (out.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=UTF-8';
    body = JSON.stringify(out.json, null, 1);
  } else if (out.text !== undefined) {
    body = out.text;
  }
  res.writeHead(out.status, headers);
  res.end(body);
}
