/**
 * Secrets at rest (OAuth tokens, CalDAV passwords): AES-256-GCM envelopes tagged with a key id.
 * The first key of the ring encrypts; every key decrypts, so keys rotate without a flag day.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, HubError } from '../shared/errors.ts';
import { isInside, readOrCreateSecret, tightenFile } from '../shared/secrets-dir.ts';

const KEY_FILE = 'keys';

/**
 * Which key file a ring without CALHUB_ENCRYPTION_KEYS reads, and the warning it deserves. The
 * data dir's own `keys` (older versions) wins while it exists: the secrets were encrypted with it.
 */
export function keyFileOf(dataDir: string, secretsDir: string): { file: string; warning: string | null } {
  const legacy = join(dataDir, KEY_FILE);
  const file = existsSync(legacy) ? legacy : join(secretsDir, KEY_FILE);
  if (!isInside(file, dataDir)) return { file, warning: null };
  const target = join(secretsDir, KEY_FILE);
  const advice =
    file !== legacy ? 'point CALHUB_SECRETS_DIR outside the data dir, or set CALHUB_ENCRYPTION_KEYS'
    : isInside(target, dataDir) || existsSync(target) ? `move it to a new CALHUB_SECRETS_DIR outside the data dir (as keys, mode 0600), or set CALHUB_ENCRYPTION_KEYS`
    : `move it out: mkdir -p -m 700 ${secretsDir} && mv ${legacy} ${target} (or set CALHUB_ENCRYPTION_KEYS)`;
  return {
    file,
    warning: `SECURITY WARNING: the encryption key ${file} is inside the data dir ${dataDir}: anyone with a copy or backup of the data dir can decrypt every stored password and token; ${advice}`,
  };
}

/**
 * `calhub keys rotate` on the generated key: a new key, first in the key file (the one `load`
 * reads) before the ones already there, which keep decrypting what they sealed. Written to a
 * temporary file (0600) renamed over the old one, so a crash leaves the old ring or the new one,
 * never half a file. Returns the file and the new key's id, never the key.
 */
export function addKeyToFile(where: { dataDir: string; secretsDir: string }): { file: string; kid: string } {
  const { file } = keyFileOf(where.dataDir, where.secretsDir);
  KeyRing.load(null, where); // creates the file on a data dir that never started, and checks it reads
  const entries = readFileSync(file, 'utf8').trim().split(',');
  const kids = new Set(entries.map((e) => e.split(':')[0]));
  let n = Math.max(0, ...[...kids].map((k) => Number(/^k(\d+)$/.exec(k ?? '')?.[1] ?? 0))) + 1;
  while (kids.has(`k${n}`)) n++;
  const kid = `k${n}`;
  const text = `${[`${kid}:${randomBytes(32).toString('base64')}`, ...entries].join(',')}\n`;
  KeyRing.parse(text.trim()); // the file must stay one that load() reads
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  return { file, kid };
}

export class DecryptError extends HubError {
  constructor(message: string) {
    super('SECRET_UNREADABLE', 'never', message);
    this.name = 'DecryptError';
  }
}

export class KeyRing {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;

  constructor(entries: Array<{ kid: string; key: Buffer }>) {
    if (entries.length === 0) throw new ConfigError('CALHUB_ENCRYPTION_KEYS', 'at least one key');
    this.keys = new Map(entries.map((e) => [e.kid, e.key]));
    this.current = entries[0]!.kid;
  }

  /** `kid:base64[,kid:base64…]` as in CALHUB_ENCRYPTION_KEYS (validated by loadConfig). */
  static parse(spec: string): KeyRing {
    return new KeyRing(
      spec.split(',').map((entry) => {
        const [kid, b64] = entry.split(':');
        return { kid: kid!, key: Buffer.from(b64!, 'base64') };
      }),
    );
  }

  /**
   * The configured ring (CALHUB_ENCRYPTION_KEYS), else the generated key: `<secretsDir>/keys`,
   * created once (0600 in a 0700 directory). An installation whose key is still in the data dir
   * (`<dataDir>/keys`, where older versions put it) keeps reading it there. Either way a key file
   * inside the data dir is reported through `warn`: a copy of the data dir then decrypts every
   * stored password and token.
   */
  static load(spec: string | null, where: { dataDir: string; secretsDir: string; warn?: (message: string) => void }): KeyRing {
    if (spec) return KeyRing.parse(spec);
    const { file, warning } = keyFileOf(where.dataDir, where.secretsDir);
    if (warning) where.warn?.(warning);
    if (file === join(where.secretsDir, KEY_FILE)) return KeyRing.parse(readOrCreateSecret(where.secretsDir, KEY_FILE, () => `k1:${randomBytes(32).toString('base64')}`));
    tightenFile(file);
    return KeyRing.parse(readFileSync(file, 'utf8').trim());
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(this.current));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.current, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  decrypt(envelope: string): string {
    const [v, kid, iv, tag, body] = envelope.split(':');
    if (v !== 'v1' || !kid || !iv || !tag || body === undefined) throw new DecryptError('not a calhub secret envelope');
    const key = this.keys.get(kid);
    if (!key) throw new DecryptError(`secret was encrypted with key "${kid}", which is not in the key ring`);
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(kid));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new DecryptError(`secret failed authentication with key "${kid}"`);
    }
  }

  /**
   * One `kid:digest` per key, the encrypting key first: what a running process says it holds
   * (hub/key-ring-holders.ts). The digest is an HMAC under the key, so it tells keys apart without
   * saying anything of them.
   */
  fingerprints(): string[] {
    const order = [this.current, ...[...this.keys.keys()].filter((k) => k !== this.current)];
    return order.map((kid) => `${kid}:${createHmac('sha256', this.keys.get(kid)!).update('calhub key ring fingerprint').digest('hex').slice(0, 16)}`);
  }

  /** Whether an envelope should be re-encrypted with the current key (rotation). */
  isStale(envelope: string): boolean {
    return envelope.split(':')[1] !== this.current;
  }
}
