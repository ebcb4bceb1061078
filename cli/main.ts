import { parseArgs } from 'node:util';
import { ConfigError, isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import type { Command } from './command.ts';
import { EXIT, EXIT_CODE_HELP } from './exit-codes.ts';
import { accountsConnectCaldav, accountsConnectGoogle, accountsConnectMicrosoft, accountsDisable, accountsDisconnect, accountsEnable, accountsList, accountsShow } from './commands/accounts.ts';
import { calendarsPolicy, calendarsQuarantine, calendarsUnflag } from './commands/calendars.ts';
import { channelsList, channelsRenew } from './commands/channels.ts';
import { conflictsList, conflictsResolve } from './commands/conflicts.ts';
import { emulatorGoogle, emulatorMicrosoft } from './commands/emulator.ts';
import { keysRotate } from './commands/keys.ts';
import { migrate } from './commands/migrate.ts';
import { queueList, queueRetry } from './commands/queue.ts';
import { resync } from './commands/resync.ts';
import { rulesCreate, rulesDelete, rulesList } from './commands/rules.ts';
import { runsList, runsRevert } from './commands/runs.ts';
import { serve, start, worker } from './commands/start.ts';
import { status } from './commands/status.ts';
import { apiKeysCreate, apiKeysList, apiKeysRevoke, tenantsAllowRedirect, tenantsCreate, tenantsList, tenantsOAuthApp, tenantsRedirects } from './commands/tenants.ts';
import { WEBHOOK_COMMANDS } from './commands/webhooks.ts';

export const COMMANDS: Command[] = [
  start,
  serve,
  worker,
  status,
  migrate,
  tenantsCreate,
  tenantsList,
  tenantsAllowRedirect,
  tenantsOAuthApp,
  tenantsRedirects,
  apiKeysList,
  apiKeysCreate,
  apiKeysRevoke,
  accountsConnectCaldav,
  accountsConnectGoogle,
  accountsConnectMicrosoft,
  accountsList,
  accountsShow,
  accountsDisconnect,
  keysRotate,
  accountsDisable,
  accountsEnable,
  resync,
  rulesCreate,
  rulesList,
  rulesDelete,
  conflictsList,
  conflictsResolve,
  calendarsPolicy,
  calendarsUnflag,
  calendarsQuarantine,
  runsList,
  runsRevert,
  queueList,
  queueRetry,
  ...WEBHOOK_COMMANDS,
  channelsList,
  channelsRenew,
  emulatorGoogle,
  emulatorMicrosoft,
];

function overview(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'calhub — calendar sync and integration hub',
    '',
    'Usage: calhub <command> [options]   (calhub <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
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
  const command = [...COMMANDS].sort((a, b) => b.name.length - a.name.length).find((c) => c.name.split(' ').every((w, i) => words[i] === w));
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
    const message = scrubSecrets(e instanceof Error ? e.message : String(e));
    if (e instanceof ConfigError) return fail(json, 'calhub: configuration error', { code: 'CONFIG_INVALID', message }, EXIT.USAGE);
    return fail(json, `calhub ${command.name}`, { code: isHubError(e) ? e.code : 'INTERNAL', message }, exitCodeOf(e));
  }
}
