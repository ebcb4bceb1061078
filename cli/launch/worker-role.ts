import { checkSilentChannels, refreshDueCalendarLists, type Hub } from '../../hub/index.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';

/** What `calhub worker` and `calhub start`'s sync thread run: the hub's workers plus the silent-channel check and the calendar lists read again in its maintenance tick. */
export function startWorkerRole(hub: Hub, log: Logger, metrics: Metrics | undefined): Promise<void> {
  const silentChannels = { name: 'silent-channels', run: () => checkSilentChannels({ store: hub.store, requestPull: (t, c) => hub.requestPull(t, c), checkChannel: (t, c) => hub.supervisor.checkCalendar(t, c), log, metrics }) };
  const calendarLists = { name: 'calendar-lists', run: () => refreshDueCalendarLists(hub) };
  return hub.startWorkers([silentChannels, calendarLists]);
}
