import { resync as resyncAccount } from '../../hub/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { print, table } from '../output.ts';
import { withHub } from '../with-hub.ts';

export const resync: Command = {
  name: 'resync',
  usage: 'calhub resync <accountId> [--full] [--wait] [--json]',
  summary:
    "Sync an account's calendars now (through the queue when a worker runs, else in this process); --full lists every item instead of asking for changes; --wait returns when the syncs and the writes they trigger are done. Exits 1 if a sync or a write failed",
  options: { full: { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const accountId = positionals[0];
    if (!accountId) throw new ValidationError('resync needs an account id: calhub resync <accountId>');
    return withHub({ queue: 'if-worker' }, async (hub) => {
      const report = await resyncAccount(hub, accountId, { full: Boolean(values.full), wait: Boolean(values.wait) });
      const failed = report.waited ? report.calendars.filter((r) => r.error) : [];
      for (const r of failed) process.stderr.write(`calhub resync: calendar "${r.name}" (${r.id}): ${r.error}\n`);
      print(Boolean(values.json), report, () =>
        table([
          ['CALENDAR', 'NAME', 'OUTCOME', 'EVENTS', 'QUARANTINED', 'FAILED WRITES', 'ERROR'],
          ...report.calendars.map((r) => [r.id, r.name, r.outcome, String(r.events), String(r.quarantined), String(r.failedWrites), r.error ?? '']),
        ]),
      );
      return report.ok ? 0 : 1;
    });
  },
};
