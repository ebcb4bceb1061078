import { ConfigError, isHubError } from '../shared/errors.ts';
import { runCommand } from './command-run.ts';
import { findCommand, help, handedToHub, loadCommand, parseCommandArgs } from './command-table.ts';
import { reachesProviders } from './hostable-commands.ts';
import { SUMMARIES, type CommandName } from './commands/summaries.ts';
import { EXIT, EXIT_CODE_HELP } from './exit-codes.ts';
import { write } from './hosted.ts';
import { visible } from './output.ts';

export { MODULES } from './command-table.ts';

/** The commands, or only those of a group (`calhub tenants`). */
function overview(group?: string): string {
  const all = Object.keys(SUMMARIES) as CommandName[];
  const names = group ? all.filter((n) => n.startsWith(`${group} `)) : all;
  const w = Math.max(...names.map((n) => n.length));
  return [
    'calhub — calendar sync and integration hub',
    '',
    group ? `Usage: calhub ${group} <command> [options]   (calhub ${group} <command> --help for its options)` : 'Usage: calhub <command> [options]   (calhub <command> --help for its options)',
    '',
    ...names.map((n) => `  ${n.padEnd(w)}  ${SUMMARIES[n]}`),
    '',
    'Configuration comes from the environment; see README "Configuration".',
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}

/**
 * A failure on stderr: one line for people, or with --json one JSON document
 * `{"error":{"code","message","exitCode"}}` for scripts (stdout stays empty: it is the result).
 */
function fail(json: boolean, prefix: string, e: { code: string; message: string }, exitCode: number, more = ''): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { ...e, exitCode } })}\n` : `${visible(`${prefix}: ${e.message}${['USAGE', 'CONFIG_INVALID', 'INTERNAL'].includes(e.code) ? '' : ` [${e.code}]`}${more}`)}\n`);
  return exitCode;
}

/** The exit code for an error a command threw (cli/exit-codes.ts). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof ConfigError) return EXIT.USAGE;
  if (!isHubError(e)) return EXIT.FAILED;
  // Bad input, or a name that matches nothing (hub/errors.ts): the operator's to fix, like bad usage.
  if (['VALIDATION_FAILED', 'INVALID_REQUEST', 'NOT_FOUND', 'ZONE_UNKNOWN', 'WORKING_HOURS_INVALID'].includes(e.code)) return EXIT.USAGE;
  // Refused for the configuration before anything ran (no OAuth app for the provider; a running hub
  // holding another key ring; a schema a newer calhub upgraded): the operator's to fix, as CONFIG_INVALID is.
  if (['PROVIDER_NOT_CONFIGURED', 'KEY_RING_IN_USE', 'SCHEMA_NEWER'].includes(e.code)) return EXIT.USAGE;
  if (['STORE_FAILED', 'QUEUE_UNREACHABLE'].includes(e.code)) return EXIT.UNREACHABLE;
  return EXIT.FAILED;
}

/** Returns the process exit code (cli/exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = findCommand(words);
  if (!name) {
    // A group's name alone (`calhub tenants`) lists that group's commands.
    const group = words.length === 1 && (Object.keys(SUMMARIES) as string[]).some((n) => n.startsWith(`${words[0]} `)) ? words[0] : undefined;
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    if (wantsHelp || (group && !json)) {
      process.stdout.write(`${overview(group)}\n`);
      return EXIT.OK;
    }
    return fail(json, 'calhub', { code: 'USAGE', message: `unknown command "${words.join(' ')}"` }, EXIT.USAGE, json ? '' : `\n\n${overview(group)}`);
  }
  const rest = argv.slice(argv.indexOf(name.split(' ').at(-1)!) + 1);
  if (handedToHub(name) && !rest.includes('--help') && !rest.includes('-h')) {
    // A running hub of this data dir does it with its open store and queue (cli/operations.ts):
    // this process then loads none of the hub, ~0.2 s instead of ~1.1 s.
    try {
      const { declinedFor, onRunningHub, refuseOtherSettings } = await import('./operations-client.ts');
      // Webhook addresses are checked by the command's own policy when the hub declines; a command
      // that reaches the providers is refused rather than run with settings other than the hub's.
      const own = name === 'webhooks create' || name === 'webhooks test' ? ['WEBHOOKS_ALLOW_PRIVATE_NETWORKS'] : [];
      const declined = reachesProviders(name) ? refuseOtherSettings(`\`calhub ${name}\``) : declinedFor(own);
      const done = await onRunningHub<{ exitCode: number }>('command', { name, args: rest }, (p: { stream: 'stdout' | 'stderr'; text: string }) => write(p.stream, p.text), declined);
      if (done) return done.exitCode;
    } catch (e) {
      return failed(json, name, e);
    }
  }
  const command = await loadCommand(name);
  let parsed;
  try {
    parsed = parseCommandArgs(command, rest);
  } catch (e) {
    return fail(json, `calhub ${command.name}`, { code: 'USAGE', message: (e as Error).message }, EXIT.USAGE, json ? '' : `\n\n${help(command)}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${help(command)}\n`);
    return EXIT.OK;
  }
  try {
    return await runCommand(command, { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
  } catch (e) {
    return failed(json, command.name, e);
  }
}

/** What a command that threw prints, and its exit code. */
async function failed(json: boolean, name: string, e: unknown): Promise<number> {
  // Loaded here: the logger's module brings pino, which a command that ends well never needs.
  const { scrubSecrets } = await import('../shared/logger.ts');
  const message = scrubSecrets(e instanceof Error ? e.message : String(e));
  if (e instanceof ConfigError) return fail(json, 'calhub: configuration error', { code: 'CONFIG_INVALID', message }, EXIT.USAGE);
  return fail(json, `calhub ${name}`, { code: isHubError(e) ? e.code : 'INTERNAL', message }, exitCodeOf(e));
}
