import { migrationState } from '../../hub/index.ts';
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
      const { applied, available } = await migrationState(hub);
      print(Boolean(values.json), { applied, available }, () => `schema is current: ${applied.join(', ')}`);
      return EXIT.OK;
    });
  },
};
