/**
 * Runtime records of a data dir (the embedded store's lock, the managed Redis's pid and socket
 * files) name the dir they were written for. A copy of the dir (`cp -a` while the hub ran, a backup
 * restored elsewhere) carries the original's records: read as its own, the copy's hub said the
 * database was in use by the original's process, and its CLI reached the original's Redis.
 */
import { realpathSync } from 'node:fs';

const dirOf = (dataDir: string): string => {
  try {
    return realpathSync(dataDir);
  } catch {
    return dataDir;
  }
};

/** The record's text with the data dir it belongs to on a line of its own after it. */
export const stampRecord = (text: string, dataDir: string): string => `${text}\n${dirOf(dataDir)}\n`;

/** The record's text, or null when it was written for another data dir (records from before the stamp count as this dir's). */
export function readRecord(content: string, dataDir: string): string | null {
  const [text = '', dir] = content.split('\n');
  return dir && dir !== dirOf(dataDir) ? null : text.trim();
}
