/** `calhub keys rotate`: every stored secret re-encrypted with the key ring's newest (first) key. */
import { rotateKeys, type RotationReport } from '../oauth/index.ts';
import type { Hub } from './open-hub.ts';

export function rotateEncryptionKeys(hub: Hub): Promise<RotationReport> {
  return rotateKeys(hub.store, hub.keyring);
}
