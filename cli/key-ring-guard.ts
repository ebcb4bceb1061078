/**
 * `keys rotate` re-encrypts every stored secret under the first key of its ring. A hub running on
 * the same embedded data dir holds the ring it read at its start, in memory: it could not read a
 * secret sealed under a key it does not have (every sync then fails with SECRET_UNREADABLE). So
 * the rotation refuses while such a hub runs with another ring.
 */
import { keyFileIn } from '../hub/index.ts';
import type { Config } from '../shared/config/index.ts';
import { HubError } from '../shared/errors.ts';
import { embeddedInUse } from '../shared/store/index.ts';
import { DIFFERENT_SETTINGS } from './operations.ts';
import { onRunningHub } from './operations-client.ts';

export class KeyRingInUseError extends HubError {
  constructor(message: string) {
    super('KEY_RING_IN_USE', 'never', message);
    this.name = 'KeyRingInUseError';
  }
}

/** Throws KeyRingInUseError when a hub on this data dir would be left unable to read what the rotation writes. */
export async function refuseUnderRunningHub(config: Config): Promise<void> {
  // With PostgreSQL the ring is CALHUB_ENCRYPTION_KEYS everywhere, rolled out first (docs/operations.md);
  // the processes of the database, serve and worker included, are checked by the rotation itself
  // (hub/key-ring-holders.ts), as are those of a data dir that answer no operations socket.
  if (config.databaseUrl) return;
  const file = keyFileIn(config);
  if (!config.encryptionKeys) {
    // A new key goes into the file: no running hub has it until it starts again.
    if (await embeddedInUse(config.dataDir)) {
      throw new KeyRingInUseError(
        `a calhub is running on the data dir ${config.dataDir}; it holds the key ring it read from ${file} when it started and could not read secrets re-encrypted under a new key: stop it, run calhub keys rotate, then start it again`,
      );
    }
    return;
  }
  const reason = await onRunningHub<{ declined: string }>('settings', null, undefined, (r) => ({ declined: r }));
  const differs = reason?.declined.startsWith(DIFFERENT_SETTINGS) && reason.declined.slice(DIFFERENT_SETTINGS.length).split(', ').includes('CALHUB_ENCRYPTION_KEYS');
  if (differs) {
    throw new KeyRingInUseError(
      `the calhub running on the data dir ${config.dataDir} has another key ring (a different CALHUB_ENCRYPTION_KEYS, or none: then it reads ${file}); it could not read secrets re-encrypted under this ring's first key: restart it with this CALHUB_ENCRYPTION_KEYS first, or, to rotate ${file}, stop it and run calhub keys rotate without CALHUB_ENCRYPTION_KEYS`,
    );
  }
}
