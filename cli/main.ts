import { ConfigError, isHubError } from '../shared/errors.ts';
import { invoke } from './command-run.ts';
import { closest } from './command-usage.ts';
import { findCommand, help, handedToHub, loadCommand, parseCommandArgs } from './command-table.ts';
import { reachesProviders } from './hostable-commands.ts';
import { SUMMARIES, type CommandName } from './commands/summaries.ts';
import { EXIT, EXIT_CODE_HELP, REFUSED_FOR_STATE } from './exit-codes.ts';
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

/** The command closest to the leading words (the rest may be an option's value). */
function suggestCommand(words: string[]): string | null {
  const names = Object.keys(SUMMARIES);
  for (let k = Math.min(3, words.length); k >= 1; k--) {
    const near = closest(words.slice(0, k).join(' '), names.filter((n) => n.split(' ').length === k));
    if (near) return near;
  }
  return null;
}

/**
 * A failure on stderr: one line for people, or with --json one JSON document
 * `{"error":{"code","message","exitCode"}}` for scripts (stdout stays empty: it is the result).
 */
function fail(json: boolean, prefix: string, e: { code: string; message: string }, exitCode: number, more = ''): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { ...e, exitCode } })}\n` : `${visible(`${prefix}: ${e.message}${['CONFIG_INVALID', 'INTERNAL'].includes(e.code) ? '' : ` [${e.code}]`}${more}`)}\n`);
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
  // Refused before anything changed, for a state the operator chooses how to leave (another name,
  // wait until the time named, retire the previous secret or --force, reconnect): nothing failed, so not 1.
  if (REFUSED_FOR_STATE.includes(e.code)) return EXIT.USAGE;
  if (['STORE_FAILED', 'STORE_UNAVAILABLE', 'QUEUE_UNREACHABLE'].includes(e.code)) return EXIT.UNREACHABLE;
  return EXIT.FAILED;
}

/** Returns the process exit code (cli/exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = findCommand(words);
  if (!name) {
    // A group's name alone (`calhub tenants`) lists that group's commands.
    const isGroup = (w: string | undefined) => (Object.keys(SUMMARIES) as string[]).some((n) => n.startsWith(`${w} `));
    const group = words.length === 1 && isGroup(words[0]) ? words[0] : undefined;
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    // `calhub freebusy --help` named no command: said so (exit 2), not answered with the overview.
    if (argv.length === 0 || (words.length === 0 && wantsHelp) || (words.length === 1 && words[0] === 'help') || (group && (wantsHelp || !json))) {
      process.stdout.write(`${overview(group)}\n`);
      return EXIT.OK;
    }
    // Named by the words before the first option: those after it may be its values.
    const dash = argv.findIndex((a) => a.startsWith('-'));
    const named = (dash < 0 ? argv : argv.slice(0, dash)).join(' ') || words.join(' ');
    const near = suggestCommand(words);
    const message = `unknown command "${named}"${near ? ` (did you mean "${near}"?)` : ''}`;
    return fail(json, 'calhub', { code: 'USAGE', message }, EXIT.USAGE, json ? '' : `\n\n${overview(isGroup(words[0]) ? words[0] : undefined)}`);
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
    return await invoke(command, { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
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
