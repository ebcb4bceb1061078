/**
 * A queue connection's errors while Redis is down come several times a second per worker: logged
 * each, with its stack, a 70 s outage wrote ~330 lines per worker. This logs one line when the
 * errors start, one "still unreachable" a minute while they go on, and one when they have stopped.
 */
export interface OutageLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export const STILL_DOWN_EVERY_MS = 60_000;
/** No error for this long after the last one: the connection is taken to be back. */
export const QUIET_MS = 10_000;

export function outageLog(log: OutageLogger, what: string): (e: unknown) => void {
  let since: number | null = null;
  let lastSaid = 0;
  let repeats = 0;
  let quiet: NodeJS.Timeout | undefined;
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  return (e: unknown) => {
    const now = Date.now();
    if (since === null) {
      since = lastSaid = now;
      log.error({ error: message(e) }, `${what}: Redis unreachable`);
    } else if (now - lastSaid >= STILL_DOWN_EVERY_MS) {
      lastSaid = now;
      log.error({ error: message(e), downForS: Math.round((now - since) / 1000), repeats }, `${what}: Redis still unreachable`);
      repeats = 0;
    } else repeats += 1;
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      log.info({ downForS: Math.round((Date.now() - (since ?? Date.now())) / 1000) }, `${what}: Redis reachable again`);
      since = null;
      repeats = 0;
    }, QUIET_MS);
    quiet.unref?.();
  };
}
