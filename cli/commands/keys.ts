import { rotateEncryptionKeys } from '../../hub/index.ts';
import type { Command } from '../command.ts';
import { print } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

export const keysRotate: Command = {
  name: 'keys rotate',
  usage: 'calhub keys rotate [--json]',
  summary: summaryOf('keys rotate'),
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      const r = await rotateEncryptionKeys(hub);
      print(Boolean(values.json), r, () =>
        [
          `secrets checked: ${r.checked}, re-encrypted: ${r.rotated}, changed meanwhile (already current): ${r.raced}, still on an older key: ${r.remainingStale}`,
          ...r.failed.map((f) => `cannot decrypt ${f.table}.${f.column} ${f.key}: ${f.error}`),
          r.failed.length === 0 && r.remainingStale === 0 ? 'older keys can now be dropped from CALHUB_ENCRYPTION_KEYS' : '',
        ].filter(Boolean).join('\n'),
      );
      // Exit 1 while any secret cannot be read: dropping a key then would lose it.
      return r.failed.length > 0 ? 1 : 0;
    });
  },
};
