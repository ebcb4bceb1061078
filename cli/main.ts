import { parseArgs } from 'node:util';
import { ConfigError, isHubError } from '../shared/errors.ts';
import type { Command } from './command.ts';
import { SUMMARIES, type CommandName } from './commands/summaries.ts';
import { EXIT, EXIT_CODE_HELP } from './exit-codes.ts';
/**
 * Which module holds each command: a command loads only its own (and what it needs). Loading
 * every module, and so the hub, the emulators and every package they import, cost each command
 * ~0.5 s of CPU before it did anything (issue 15); `accounts connect caldav` and `resync` need
 * none of it while a hub runs (cli/operations.ts). A test checks this list against commands/all.ts.
 */
export const MODULES: Array<[load: () => Promise<Record<string, unknown>>, names: string[]]> = [
  [() => import('./commands/start.ts'), ['start', 'serve', 'worker']],
  [() => import('./commands/status.ts'), ['status']],
  [() => import('./commands/migrate.ts'), ['migrate']],
  [() => import('./commands/tenants.ts'), ['tenants create', 'tenants list', 'tenants allow-redirect', 'tenants oauth-app', 'tenants redirects', 'tenants api-keys list', 'tenants api-keys create', 'tenants api-keys revoke']],
  [() => import('./commands/connect-caldav.ts'), ['accounts connect caldav']],
  [() => import('./commands/accounts.ts'), ['accounts connect google', 'accounts connect microsoft', 'accounts list', 'accounts show', 'accounts disconnect', 'accounts disable', 'accounts enable']],
  [() => import('./commands/keys.ts'), ['keys rotate']],
  [() => import('./commands/resync.ts'), ['resync']],
  [() => import('./commands/rules.ts'), ['rules create', 'rules list', 'rules delete']],
  [() => import('./commands/conflicts.ts'), ['conflicts list', 'conflicts resolve']],
  [() => import('./commands/calendars.ts'), ['calendars policy', 'calendars unflag', 'calendars quarantine', 'calendars writes']],
  [() => import('./commands/runs.ts'), ['runs list', 'runs revert']],
  [() => import('./commands/queue.ts'), ['queue list', 'queue retry']],
  [() => import('./commands/webhooks.ts'), ['webhooks create', 'webhooks list', 'webhooks update', 'webhooks delete', 'webhooks rotate-secret', 'webhooks test', 'webhooks deliveries', 'webhooks replay']],
  [() => import('./commands/channels.ts'), ['channels list', 'channels renew']],
  [() => import('./commands/emulator.ts'), ['emulator google', 'emulator microsoft']],
];

/** The command named by the leading words of argv (the longest name that matches), loaded; null: none. */
async function commandFor(words: string[]): Promise<Command | null> {
  const named = MODULES.flatMap(([load, names]) => names.map((name) => ({ name, load })))
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => c.name.split(' ').every((w, i) => words[i] === w));
  if (!named) return null;
  const exported = Object.values(await named.load()).flat() as Array<Partial<Command>>;
  const command = exported.find((c) => c?.name === named.name);
  if (!command) throw new Error(`${named.name}: the module cli/main.ts names for it does not export it`);
  return command as Command;
}

function overview(): string {
  const names = Object.keys(SUMMARIES) as CommandName[];
  const w = Math.max(...names.map((n) => n.length));
  return [
    'calhub — calendar sync and integration hub',
    '',
    'Usage: calhub <command> [options]   (calhub <command> --help for its options)',
    '',
    ...names.map((n) => `  ${n.padEnd(w)}  ${SUMMARIES[n]}`),
    '',
    'Configuration comes from the environment; see README "Configuration".',
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}

function help(c: Command): string {
  const opts = Object.entries(c.options).map(([k, o]) => `  --${k}${o.short ? `, -${o.short}` : ''}${o.type === 'string' ? ' <value>' : ''}`);
  return [`Usage: ${c.usage}`, '', c.summary, ...(opts.length ? ['', 'Options:', ...opts, '  --help'] : ['', 'Options:', '  --help'])].join('\n');
}

/**
 * A failure on stderr: one line for people, or with --json one JSON document
 * `{"error":{"code","message","exitCode"}}` for scripts (stdout stays empty: it is the result).
 */
function fail(json: boolean, prefix: string, e: { code: string; message: string }, exitCode: number, more = ''): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { ...e, exitCode } })}\n` : `${prefix}: ${e.message}${['USAGE', 'CONFIG_INVALID', 'INTERNAL'].includes(e.code) ? '' : ` [${e.code}]`}${more}\n`);
  return exitCode;
}

/** The exit code for an error a command threw (cli/exit-codes.ts). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof ConfigError) return EXIT.USAGE;
  if (!isHubError(e)) return EXIT.FAILED;
  // Bad input, or a name that matches nothing (hub/errors.ts): the operator's to fix, like bad usage.
  if (['VALIDATION_FAILED', 'INVALID_REQUEST', 'NOT_FOUND'].includes(e.code)) return EXIT.USAGE;
  if (['STORE_FAILED', 'QUEUE_UNREACHABLE'].includes(e.code)) return EXIT.UNREACHABLE;
  return EXIT.FAILED;
}

/** Returns the process exit code (cli/exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = await commandFor(words);
  if (!command) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    if (wantsHelp) {
      process.stdout.write(`${overview()}\n`);
      return EXIT.OK;
    }
    return fail(json, 'calhub', { code: 'USAGE', message: `unknown command "${argv.join(' ')}"` }, EXIT.USAGE, json ? '' : `\n\n${overview()}`);
  }
  const rest = argv.slice(argv.indexOf(command.name.split(' ').at(-1)!) + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(json, `calhub ${command.name}`, { code: 'USAGE', message: (e as Error).message }, EXIT.USAGE, json ? '' : `\n\n${help(command)}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${help(command)}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
  } catch (e) {
    // Loaded here: the logger's module brings pino, which a command that ends well never needs.
    const { scrubSecrets } = await import('../shared/logger.ts');
    const message = scrubSecrets(e instanceof Error ? e.message : String(e));
    if (e instanceof ConfigError) return fail(json, 'calhub: configuration error', { code: 'CONFIG_INVALID', message }, EXIT.USAGE);
    return fail(json, `calhub ${command.name}`, { code: isHubError(e) ? e.code : 'INTERNAL', message }, exitCodeOf(e));
  }
}
