/**
 * How a bench child reports its failure to the parent: one JSON line on stdout with the error's
 * name, code, reason and message (and its cause's), never a stack. The parent used to keep the
 * last lines of stderr, which for an uncaught error are the middle of a stack trace, so the
 * 100,000-event run's failure said nothing of what failed.
 */

type Described = { name?: string; code?: string; reason?: string; message: string; cause?: Described };

function describe(e: unknown, depth = 0): Described {
  if (!(e instanceof Error)) return { message: String(e) };
  const x = e as Error & { code?: unknown; reason?: unknown };
  const d: Described = { name: x.name, message: x.message };
  if (typeof x.code === 'string') d.code = x.code;
  if (typeof x.reason === 'string') d.reason = x.reason;
  if (x.cause !== undefined && depth < 3) d.cause = describe(x.cause, depth + 1);
  return d;
}

/** The line a child prints (on stdout, last) before it exits non-zero. */
export function childErrorLine(e: unknown): string {
  return JSON.stringify({ error: describe(e) });
}

const oneLine = (d: Described): string => {
  const tag = [d.code ?? d.name, d.reason].filter(Boolean).join('/');
  const text = `${tag ? `${tag}: ` : ''}${d.message.split('\n')[0]}`;
  return d.cause ? `${text} (cause: ${oneLine(d.cause)})` : text;
};

/**
 * What the parent says of a failed child: the child's own error line when it printed one; else
 * how it ended (a signal, the parent's timeout, an exit code) and the first error line of stderr.
 */
export function childFailure(mode: string, e: unknown): string {
  const x = e as { stdout?: string; stderr?: string; signal?: string | null; code?: number | string | null; killed?: boolean; message?: string };
  for (const line of (x.stdout ?? '').trim().split('\n').reverse()) {
    try {
      const parsed = JSON.parse(line) as { error?: Described };
      if (parsed.error) return `${mode}: ${oneLine(parsed.error)}`;
    } catch {
      // not a JSON line
    }
  }
  const how = x.signal ? `killed by ${x.signal}${x.killed ? ' (the parent\'s timeout)' : ''}` : typeof x.code === 'number' ? `exited ${x.code}` : (x.code ?? 'failed');
  const errLine = (x.stderr ?? '').split('\n').find((l) => /^\s*(\w*Error|FATAL|<--- Last few GCs)/.test(l))?.trim();
  return `${mode}: ${how}${errLine ? `: ${errLine}` : x.message ? `: ${x.message.split('\n')[0]}` : ''}`;
}
