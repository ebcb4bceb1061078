/**
 * Where `accounts connect caldav` takes the password from: never the command line, which any
 * local user can read in /proc/<pid>/cmdline and which lands in shell history. One of:
 * `--password-stdin` (read to the end of stdin), `--password-file <path>`, or the
 * CALHUB_CALDAV_PASSWORD environment variable. `--password` is refused, with this list.
 */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../shared/errors.ts';

export const PASSWORD_ENV = 'CALHUB_CALDAV_PASSWORD';
export const PASSWORD_OPTIONS = { password: { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'password-file': { type: 'string' } } as const;

/** Where one secret of a command can come from: `--<flag>-stdin`, `--<flag>-file <path>` or an environment variable. */
export interface SecretSource {
  /** What the messages call it ("password", "client secret"). */
  what: string;
  flag: string;
  env: string;
}

const CALDAV: SecretSource = { what: 'password', flag: 'password', env: PASSWORD_ENV };
const how = (s: SecretSource) => `give it with --${s.flag}-stdin, --${s.flag}-file <path> or the ${s.env} environment variable`;
/** One trailing newline (from `echo` or an editor) is not part of the secret. */
const chomp = (s: string) => s.replace(/\r?\n$/, '');

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export const secretOptions = (flag: string) => ({ [flag]: { type: 'string' }, [`${flag}-stdin`]: { type: 'boolean' }, [`${flag}-file`]: { type: 'string' } }) as const;

/** The secret from exactly one source, or undefined when none was given (the caller decides if it must be). */
export async function readSecret(src: SecretSource, values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, stdin: NodeJS.ReadableStream = process.stdin): Promise<string | undefined> {
  if (values[src.flag] !== undefined) {
    throw new ValidationError(`--${src.flag} is refused: a ${src.what} on the command line is readable by every local user (/proc/<pid>/cmdline) and stays in shell history; ${how(src)}`);
  }
  const fromStdin = values[`${src.flag}-stdin`] === true;
  const file = values[`${src.flag}-file`];
  const sources = [fromStdin, typeof file === 'string', env[src.env] !== undefined].filter(Boolean).length;
  if (sources > 1) throw new ValidationError(`give the ${src.what} one way only: ${how(src)}`);
  if (fromStdin) return chomp(await readStdin(stdin));
  if (typeof file === 'string') {
    try {
      return chomp(await readFile(file, 'utf8'));
    } catch (e) {
      throw new ValidationError(`--${src.flag}-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return env[src.env];
}

export async function readPassword(
  values: { password?: unknown; 'password-stdin'?: unknown; 'password-file'?: unknown },
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const password = await readSecret(CALDAV, values, env, stdin);
  if (!password) throw new ValidationError(`missing password: ${how(CALDAV)}`);
  return password;
}
