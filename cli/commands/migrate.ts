import { migrationState, migrationsSaid } from '../../hub/index.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

export const migrate: Command = {
  name: 'migrate',
  usage: 'calhub migrate [--json]',
  summary: summaryOf('migrate'),
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      // The opening above ran the pending migrations: hub.migrated says which, not the whole list.
      const state = await migrationState(hub);
      print(Boolean(values.json), state, () => [...state.each.map((m) => `applied ${m.name} in ${m.ms} ms`), migrationsSaid(state)].join('\n'));
      return EXIT.OK;
    });
  },
};
