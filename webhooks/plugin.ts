/**
 * The receivers as one Fastify plugin, mounted on the API app by the composition root (cli start,
 * serve) with `webhooksOf(hub)`; api/ does not import it. It keeps its own error answers: a provider learns only "bad request" (not retried) or
 * "try again" (503, retried), never an internal detail.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { refreshCalendarList, type Hub } from '../hub/index.ts';
import { sendError } from './errors.ts';
import { registerGoogleReceiver } from './google-receiver.ts';
import { registerMicrosoftReceiver } from './microsoft-receiver.ts';
import { receiverContext, type WebhookOptions } from './receiver-context.ts';

export async function webhookRoutes(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  const rc = receiverContext(opts, app.log);
  app.addHook('onClose', async () => rc.guard.close());
  // The API accepts only JSON; Graph's validation handshake may come as text/plain.
  if (!app.hasContentTypeParser('text/plain')) app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.statusCode && err.statusCode < 500) rc.notified(req.url.startsWith('/webhooks/google') ? 'google' : 'microsoft', 'invalid');
    if (err.validation) {
      const first = err.validation[0];
      const field = `${err.validationContext ?? 'request'}${first?.instancePath.replace(/\//g, '.') ?? ''}`;
      return sendError(reply, 'WEBHOOK_INVALID_REQUEST', `${field} ${first?.message ?? 'is invalid'}`);
    }
    // Fastify's own client errors: bad JSON, wrong media type, body over the limit.
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, 'WEBHOOK_INVALID_REQUEST', err.message, err.statusCode);
    req.log.error({ err }, 'webhook could not be recorded');
    return sendError(reply, 'WEBHOOK_UNAVAILABLE', 'the notification could not be recorded; retry later');
  });
  // Its own context: the Google route replaces the body parsers and must not touch Graph's.
  await app.register(async (google) => registerGoogleReceiver(google, rc));
  registerMicrosoftReceiver(app, rc);
}

/** The receivers' options from the hub: its store, its queue's pulls, its channel supervisor. */
export function webhooksOf(hub: Hub): WebhookOptions {
  return {
    store: hub.store,
    metrics: hub.metrics,
    redis: hub.redis,
    requestPull: (tenantId, calendarId) => hub.requestPull(tenantId, calendarId),
    onChannelAction: (tenantId, calendarId) => hub.supervisor.checkCalendar(tenantId, calendarId),
    onCalendarListChanged: (tenantId, accountId) => refreshCalendarList(hub, tenantId, accountId),
    onChannelStop: () => hub.supervisor.runStops(),
  };
}
