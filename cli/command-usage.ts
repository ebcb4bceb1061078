/**
 * What the CLI says about its own usage: bad options in one line with the closest right one, and
 * each option's one-line description in a command's --help. Node's parseArgs text
 * ("Unknown option '--tenat'. To specify a positional argument starting with a '-' …") named no
 * alternative and had an unbalanced quote.
 */
import type { Command } from './command.ts';

/** Edit distance, for "did you mean": names here are short, a plain table is enough. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate closest to `word` when it is close enough to be a typo (or `word` starts it); null: none is. */
export function closest(word: string, candidates: string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of candidates) {
    const d = name.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.min(3, Math.floor(word.length / 3))) ? best.name : null;
}

/** parseArgs' error for `command`'s arguments, said plainly; the original message when it is no known case. */
export function usageMessage(command: Command, e: { code?: string; message: string }): string {
  const options = [...Object.keys(command.options), 'help'];
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const name = flag.replace(/^-+/, '').split('=')[0]!;
    const near = closest(name, options);
    return `unknown option ${flag}${near ? ` (did you mean --${near}?)` : ''}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return /does not take an argument/.test(e.message) ? `option ${flag} takes no value` : `option ${flag} needs a value (${flag} <value>)`;
  }
  return e.message;
}

/** One line per option a command's --help shows: by option name, or `<command> --<option>` where a command means more. */
const OPTION_HELP: Record<string, string> = {
  tenant: 'the tenant id (ten_…; `calhub tenants list`)',
  json: 'print one JSON document (failures: one JSON error on stderr)',
  help: 'show this help',
  all: 'every tenant',
  full: 'list every item instead of asking the provider for changes',
  'dry-run': 'print what would change on each side and write nothing',
  wait: 'return when the syncs and their writes are done, with progress on stderr',
  yes: 'confirm (required: this cannot be undone)',
  open: 'only conflicts parked for a decision',
  take: 'which side decides the fields in conflict: local or remote',
  access: 'freebusy, read or readwrite: what calhub may do with the account',
  'login-hint': "the account's email, to preselect it at consent",
  account: 'reconnect this account (acc_…) instead of connecting a new one',
  timeout: 'seconds to wait for the browser to come back',
  url: 'the address (CalDAV: the server or principal URL; webhooks: the endpoint)',
  username: 'the CalDAV user name',
  password: 'refused: a password on the command line is visible to every user; use one below',
  'password-stdin': 'read the password from stdin',
  'password-file': 'read the password from a file (or set CALHUB_CALDAV_PASSWORD)',
  email: "the account's email, when the server does not say it",
  'time-zone': 'an IANA time zone, e.g. Europe/Berlin',
  from: 'the source calendar id (cal_…)',
  to: 'the target calendar id (cal_…)',
  mode: 'busy-block (busy blocks) or full-copy (full copies)',
  'two-way': 'mirror both ways',
  'skip-declined': 'do not copy events the owner declined',
  'keep-free': 'copy events shown as free too',
  'skip-all-day': 'do not copy all-day events',
  'keep-declined': 'copy events the owner declined too (rules update)',
  'skip-free': 'do not copy events shown as free (rules update)',
  'keep-all-day': 'copy all-day events too (rules update)',
  'any-hours': 'copy whatever the hours (rules update: drops --working-hours)',
  'working-hours': 'copy only what falls in these hours, HH:mm-HH:mm (with --time-zone)',
  state: 'the jobs in this state: failed (default), waiting, active, delayed, completed',
  'all-failed': 'every failed job',
  'expiring-within': 'channels expiring within this duration, e.g. 1h',
  events: 'comma-separated event types, or * for all',
  description: 'a note shown in lists',
  since: 'from this time on (ISO 8601)',
  limit: 'at most this many rows',
  enable: 're-enable the endpoint',
  disable: 'disable the endpoint',
  remove: 'take it off instead',
  port: 'the port to listen on',
  host: 'the address to listen on',
  sandbox: 'with emulated Google and Microsoft and a connected demo tenant',
  'client-id': 'the OAuth client id',
  'client-secret-stdin': 'read the client secret from stdin',
  'client-secret-file': 'read the client secret from a file',
  'retired-client-id': 'the replaced client whose secret to rotate',
  'calendars policy --conflict': 'both sides edited the same field: hub-wins, provider-wins, latest-wins or manual',
  'calendars policy --delete': 'a delete on one side against an edit on the other: modify-wins or delete-wins',
  'accounts list --tenant': "only this tenant's accounts (the tenant id, ten_…)",
  'channels list --tenant': "only this tenant's channels",
  'queue list --tenant': "only this tenant's jobs",
  'queue retry --tenant': "only this tenant's jobs",
};

export function help(c: Command): string {
  const opts = [...Object.entries(c.options), ['help', { type: 'boolean', short: 'h' }] as const].map(([k, o]) => [`--${k}${o.short ? `, -${o.short}` : ''}${o.type === 'string' ? ' <value>' : ''}`, OPTION_HELP[`${c.name} --${k}`] ?? OPTION_HELP[k] ?? '']);
  const w = Math.max(...opts.map(([f]) => f!.length));
  return [`Usage: ${c.usage}`, '', c.summary, '', 'Options:', ...opts.map(([f, d]) => `  ${f!.padEnd(w)}  ${d}`.trimEnd())].join('\n');
}
