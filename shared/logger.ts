import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * pino-pretty is loaded on a terminal only: a hub whose stdout is a file or a pipe (a service, a
 * container) never wants it, and each thread of `calhub start` would hold it (issue 15).
 * Synchronously, so createLogger stays synchronous.
 */
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/** Keys whose values never reach a log line, at any of the first three levels of nesting. */
const SECRET_KEYS = [
  'password',
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'Authorization',
  'cookie',
  'secret',
  'clientSecret',
  'client_secret',
  'credentials',
  'clientState',
  'code_verifier',
  'databaseUrl',
  'redisUrl',
  'encryptionKeys',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.headers["${k.toLowerCase()}"]`]);

/** URLs with a user:password part, and bearer tokens, are scrubbed from messages and error text. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]')
    .replace(/\bchk_[A-Za-z0-9_-]{20,}/g, 'chk_[redacted]')
    // OAuth callbacks and connect links carry one-time secrets in the query string.
    .replace(/([?&](?:code|state|session|code_verifier|access_token|refresh_token|id_token|token|password)=)[^&\s"#]+/gi, '$1[redacted]');
}

/** A request as logged (Fastify's `req`): its URL without query-string secrets. */
function requestSerializer(r: { method?: string; url?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: r.method, url: r.url === undefined ? undefined : scrubSecrets(r.url), host: r.hostname, remoteAddress: r.ip, remotePort: r.socket?.remotePort };
}

/**
 * JSON lines for machines (a log shipper, a file, a pipe); coloured, human lines on a terminal.
 * `pretty` overrides the guess (tests).
 */
function outputFor(destination: DestinationStream | undefined, prettyWanted: boolean | undefined, colorize: boolean | undefined): DestinationStream | undefined {
  const target = (destination ?? process.stdout) as DestinationStream & { isTTY?: boolean; fd?: number };
  if (!(prettyWanted ?? target.isTTY === true)) return destination;
  return loadPretty()({
    destination: target,
    colorize: colorize ?? target.isTTY === true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
}

/**
 * A provider's answer the connector classified (connectors/errors.ts: a `CONNECTOR_*` code — unavailable,
 * rate limited, timed out, refused): its code, message and the provider's status say all there is,
 * and its stack is the same few frames each time (~1.6 KB a line: 18 MB of worker log in an
 * 8-minute outage). Also when wrapped, as the engine wraps one no retry mends (UnrecoverableError).
 * Unexpected errors keep their stack.
 */
function knownProviderError(e: Error): Record<string, unknown> | null {
  const inner = (x: unknown) => {
    const h = x as { code?: unknown; retry?: unknown; provider?: unknown; httpStatus?: unknown; reason?: unknown; retryAfterMs?: unknown } | null;
    return x instanceof Error && typeof h?.code === 'string' && h.code.startsWith('CONNECTOR_') && typeof h.retry === 'string' ? (x as Error & NonNullable<typeof h>) : null;
  };
  const h = inner(e) ?? inner(e.cause);
  if (!h) return null;
  return { type: h.name, code: h.code, message: scrubSecrets(String(h.message)), provider: h.provider, httpStatus: h.httpStatus, reason: h.reason, retryAfterMs: h.retryAfterMs };
}

/**
 * `pretty` and `colorize` override what the destination suggests: a thread of `calhub start` writes
 * to the process's stdout through a stream of its own, which is no terminal even when stdout is.
 */
export function createLogger(opts: { level?: string; name?: string; destination?: DestinationStream; pretty?: boolean; colorize?: boolean } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'calhub',
      level: opts.level ?? 'info',
      redact: { paths: [...new Set(REDACT_PATHS)], censor: '[redacted]' },
      serializers: {
        req: requestSerializer,
        // Callers log what they caught, which is not always an Error (a plain object, a string):
        // the serializer must never throw, or the log line takes the operation down with it.
        err: (e: unknown) => {
          if (!(e instanceof Error)) return typeof e === 'object' && e !== null ? JSON.parse(scrubSecrets(JSON.stringify(e))) : { message: scrubSecrets(String(e)) };
          const known = knownProviderError(e);
          if (known) return known;
          return { type: e.name, message: scrubSecrets(String(e.message)), code: (e as { code?: unknown }).code, stack: e.stack && scrubSecrets(e.stack) };
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    outputFor(opts.destination, opts.pretty, opts.colorize),
  );
}

export type { Logger };
