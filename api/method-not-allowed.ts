/**
 * 405 METHOD_NOT_ALLOWED for a path served for other methods (`DELETE /v1/calendars`), with the
 * `Allow` header RFC 9110 §15.5.6 asks for; a path served for no method stays 404. Fastify's
 * router answers both with its not-found handler, so the routes recorded by route-list.ts are
 * matched here the way the router matches them (`:param` is one path segment, `*` the rest).
 */
import type { FastifyInstance } from 'fastify';
import { routesOf } from './route-list.ts';

type Matcher = { method: string; re: RegExp };
const MATCHERS = new WeakMap<FastifyInstance, Matcher[]>();

const patternOf = (url: string): RegExp =>
  new RegExp(`^${url.split(/(:\w+|\*)/).map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);

/** The methods `path` is served for, HEAD with GET (Fastify adds it); empty when none. */
export function allowedMethods(app: FastifyInstance, path: string): string[] {
  let matchers = MATCHERS.get(app);
  // Routes are all added before the first request: compiled once, then.
  if (!matchers) MATCHERS.set(app, (matchers = routesOf(app).map((r) => ({ method: r.method, re: patternOf(r.url) }))));
  const methods = new Set(matchers.filter((m) => m.re.test(path)).map((m) => m.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
