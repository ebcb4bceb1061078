import { addGeneratedKey, keyFileIn, rotateEncryptionKeys } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { Command } from '../command.ts';
import { refuseUnderRunningHub } from '../key-ring-guard.ts';
import { print } from '../output.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

export const keysRotate: Command = {
  name: 'keys rotate',
  usage: 'calhub keys rotate [--json]',
  summary: summaryOf('keys rotate'),
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const config = loadConfig();
    await refuseUnderRunningHub(config);
    // Without CALHUB_ENCRYPTION_KEYS the ring is the generated key file: rotating it starts with a
    // new first key there (the old ones stay, to read what they sealed until re-encrypted).
    const added = config.encryptionKeys ? null : addGeneratedKey(config);
    const ringAt = config.encryptionKeys ? 'CALHUB_ENCRYPTION_KEYS' : keyFileIn(config);
    return withHub({ config }, async (hub) => {
      const r = await rotateEncryptionKeys(hub);
      const report = added ? { ...r, keyFile: added.file, newKey: added.kid } : r;
      print(Boolean(values.json), report, () =>
        [
          added ? `added key "${added.kid}" first in ${added.file} (the older keys stay in it); a calhub started on this data dir from now on encrypts with it` : '',
          `secrets checked: ${r.checked}, re-encrypted: ${r.rotated}, changed meanwhile (already current): ${r.raced}, still on an older key: ${r.remainingStale}`,
          ...r.failed.map((f) => `cannot decrypt ${f.table}.${f.column} ${f.key}: ${f.error}`),
          r.failed.length === 0 && r.remainingStale === 0 ? `older keys can now be dropped from ${ringAt} (keep the first)` : '',
        ].filter(Boolean).join('\n'),
      );
      // Exit 1 while any secret cannot be read: dropping a key then would lose it.
      return r.failed.length > 0 ? 1 : 0;
    });
  },
};
