import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
  /** Left out of the OpenAPI document on purpose (the document itself, the docs page's assets). */
  hidden: boolean;
}

const ROUTES = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Records every route from here on (HEAD twins of GET left out). Fastify has no public route
 * list; tests need one to prove auth and the OpenAPI document cover every route, new ones included.
 */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, hidden: (r.schema as { hide?: boolean } | undefined)?.hide === true });
    }
  });
}

export const routesOf = (app: FastifyInstance): RouteEntry[] => ROUTES.get(app) ?? [];
