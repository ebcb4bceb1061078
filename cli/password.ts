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

const HOW = `give it with --password-stdin, --password-file <path> or the ${PASSWORD_ENV} environment variable`;
/** One trailing newline (from `echo` or an editor) is not part of the password. */
const chomp = (s: string) => s.replace(/\r?\n$/, '');

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export async function readPassword(
  values: { password?: unknown; 'password-stdin'?: unknown; 'password-file'?: unknown },
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (values.password !== undefined) {
    throw new ValidationError(`--password is refused: a password on the command line is readable by every local user (/proc/<pid>/cmdline) and stays in shell history; ${HOW}`);
  }
  const sources = [values['password-stdin'] === true, typeof values['password-file'] === 'string', env[PASSWORD_ENV] !== undefined].filter(Boolean).length;
  if (sources > 1) throw new ValidationError(`give the password one way only: ${HOW}`);
  let password: string | undefined;
  if (values['password-stdin'] === true) password = chomp(await readStdin(stdin));
  else if (typeof values['password-file'] === 'string') {
    try {
      password = chomp(await readFile(values['password-file'], 'utf8'));
    } catch (e) {
      throw new ValidationError(`--password-file: cannot read ${values['password-file']} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else password = env[PASSWORD_ENV];
  if (!password) throw new ValidationError(`missing password: ${HOW}`);
  return password;
}
