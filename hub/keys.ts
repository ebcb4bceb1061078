/** `calhub keys rotate`: every stored secret re-encrypted with the key ring's newest (first) key. */
import { addKeyToFile, keyFileOf, rotateKeys, type RotationReport } from '../oauth/index.ts';
import type { Config } from '../shared/config/index.ts';
import type { Hub } from './open-hub.ts';
import { refuseUnderOtherRings } from './key-ring-holders.ts';

export async function rotateEncryptionKeys(hub: Hub): Promise<RotationReport> {
  await refuseUnderOtherRings(hub);
  return rotateKeys(hub.store, hub.keyring);
}

/** The generated key file a hub without CALHUB_ENCRYPTION_KEYS reads. */
export const keyFileIn = (config: Config): string => keyFileOf(config.dataDir, config.secretsDir).file;

/** A new first key in the generated key file (the embedded default), for `keys rotate` to re-encrypt under. */
export function addGeneratedKey(config: Config): { file: string; kid: string } {
  if (config.encryptionKeys) throw new Error('the key ring is CALHUB_ENCRYPTION_KEYS, not the generated key file');
  return addKeyToFile({ dataDir: config.dataDir, secretsDir: config.secretsDir });
}
