import { migrationFiles } from '../../shared/store/index.ts';
import type { Command } from '../command.ts';
import { print } from '../output.ts';
import { openRuntime } from '../runtime.ts';

export const migrate: Command = {
  name: 'migrate',
  usage: 'calhub migrate [--json]',
  summary: 'Apply pending database migrations (start, serve and worker also do this)',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const rt = await openRuntime({ quiet: true });
    try {
      // openRuntime has migrated; report the state.
      const versions = await rt.store.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
      const names = versions.map((v) => v.name);
      print(Boolean(values.json), { applied: names, available: migrationFiles().map((m) => m.name) }, () => `schema is current: ${names.join(', ')}`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};
