/**
 * Key rotation: every envelope not sealed with the key ring's current key is decrypted (with the
 * older key it names) and sealed again with the current one. Older keys stay in the ring until a
 * pass reports nothing left on them; only then may an operator drop them.
 */
import { listSecretCells, replaceSecretCell, type Store } from '../shared/store/index.ts';
import type { KeyRing } from './keyring.ts';

export interface RotationReport {
  /** Envelopes looked at. */
  checked: number;
  /** Re-encrypted with the current key. */
  rotated: number;
  /** Changed by someone else during the pass (a token refresh): already on the current key. */
  raced: number;
  /** Could not be decrypted with any key of the ring: where they are, never what they hold. */
  failed: Array<{ table: string; column: string; key: string; error: string }>;
  /** Envelopes still on an older key after the pass. */
  remainingStale: number;
}

export async function rotateKeys(store: Store, keyring: KeyRing): Promise<RotationReport> {
  const report: RotationReport = { checked: 0, rotated: 0, raced: 0, failed: [], remainingStale: 0 };
  for (const cell of await listSecretCells(store.db)) {
    report.checked += 1;
    if (!keyring.isStale(cell.envelope)) continue;
    let plain: string;
    try {
      plain = keyring.decrypt(cell.envelope);
    } catch (e) {
      report.failed.push({ table: cell.table, column: cell.column, key: cell.key, error: (e as Error).message });
      continue;
    }
    if (await replaceSecretCell(store.db, cell, keyring.encrypt(plain))) report.rotated += 1;
    else report.raced += 1;
  }
  report.remainingStale = (await listSecretCells(store.db)).filter((c) => keyring.isStale(c.envelope)).length;
  return report;
}
