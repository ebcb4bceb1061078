import type { Logger } from '../shared/logger.ts';
import type { Store } from '../shared/store/index.ts';

/**
 * Periodic upkeep every worker runs: free calendars whose sync run died, pull calendars that have
 * not synced for a while (CalDAV polling, the backstop for missed push), and move the busy index
 * horizon forward. All idempotent, so several workers running them is harmless.
 */
export function startMaintenance(store: Store, logger: Logger, opts: { staleRunMs: number; everyMs?: number; poll?: () => Promise<void> }): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= (async () => {
      try {
        const reaped = await store.reapStaleSyncs(opts.staleRunMs);
        if (reaped.length) logger.warn({ calendars: reaped }, 'reaped stale sync runs');
        await opts.poll?.();
        const moved = await store.extendHorizons();
        if (moved) logger.info({ calendars: moved }, 'extended busy horizons');
      } catch (e) {
        logger.error({ err: e }, 'maintenance failed');
      } finally {
        running = null;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, opts.everyMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
