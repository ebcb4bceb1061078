/** Which module holds each command, how a command's arguments are parsed, and its help. */
import type { Command } from './command.ts';
import { HOSTABLE_MODULES, loadFrom, type CommandModules } from './hostable-commands.ts';

export { handedToHub, parseCommandArgs } from './hostable-commands.ts';
export { help } from './command-usage.ts';

/**
 * Which module holds each command: a command loads only its own (and what it needs). Loading
 * every module, and so the hub, the emulators and every package they import, cost each command
 * ~0.5 s of CPU before it did anything (issue 15); while a hub runs, most commands need none of it
 * (cli/operations.ts). A test checks this list against commands/all.ts.
 */
export const MODULES: CommandModules = [
  [() => import('./commands/start.ts'), ['start', 'serve', 'worker']],
  [() => import('./commands/status.ts'), ['status']],
  [() => import('./commands/migrate.ts'), ['migrate']],
  [() => import('./commands/connect-caldav.ts'), ['accounts connect caldav']],
  [() => import('./commands/keys.ts'), ['keys rotate']],
  [() => import('./commands/resync.ts'), ['resync']],
  [() => import('./commands/emulator.ts'), ['emulator google', 'emulator microsoft']],
  ...HOSTABLE_MODULES,
];

/** The command named by the leading words of argv (the longest name that matches); null: none. */
export function findCommand(words: string[]): string | null {
  return (
    MODULES.flatMap(([, names]) => names)
      .sort((a, b) => b.length - a.length)
      .find((name) => name.split(' ').every((w, i) => words[i] === w)) ?? null
  );
}

/** The named command, its module loaded. */
export const loadCommand = (name: string): Promise<Command> => loadFrom(MODULES, name);
