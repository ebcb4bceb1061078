/**
 * The part of `calhub resync` that needs the hub: run in the command's own process (no hub
 * running) and by `calhub start` for a command that hands it the work (cli/operations.ts).
 */
import { resync, resyncAccounts, resyncCalendarIds, syncProgress, type CalendarProgressView, type Hub, type ResyncReport, type ResyncTarget } from '../hub/index.ts';

const PROGRESS_EVERY_MS = 500;

export interface ResyncOptions {
  full: boolean;
  wait: boolean;
  /** Stops waiting (the command that asked went away). */
  signal?: AbortSignal;
}

/** Runs the syncs; with --wait (or when they run here) reports progress until they are done, then once more. */
export async function runResync(hub: Hub, target: ResyncTarget, opts: ResyncOptions, progress: (rows: CalendarProgressView[]) => void): Promise<ResyncReport[]> {
  const accounts = await resyncAccounts(hub, target);
  const ids = await resyncCalendarIds(hub, accounts);
  const since = new Date(Date.now() - 1000);
  const watch = opts.wait || hub.syncHere;
  let done = false;
  // The pause between two progress reads ends as soon as the syncs do: sleeping it out added up
  // to 0.5 s (0.25 s on average) to every `resync --wait` (issue 15).
  let wake = () => undefined as void;
  const pause = () => new Promise<void>((r) => {
    const t = setTimeout(r, PROGRESS_EVERY_MS);
    wake = () => (clearTimeout(t), r());
  });
  const watching = (async () => {
    while (watch && !done) {
      progress(await syncProgress(hub, ids, since).catch(() => []));
      if (!done) await pause();
    }
  })();
  try {
    const reports: ResyncReport[] = [];
    // One account: its calendar list is read again first; a tenant's or all: the maintenance step reads them.
    for (const a of accounts) reports.push(await resync(hub, a.accountId, { ...opts, listCalendars: 'accountId' in target }));
    return reports;
  } finally {
    done = true;
    wake();
    await watching;
    if (watch) progress(await syncProgress(hub, ids, since).catch(() => []));
  }
}
