import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import type { Role } from '../launch/launch.ts';
import { summaryOf } from './summaries.ts';

/** How long a hub still starting may take to come up after a stop signal, to be closed cleanly. */
const LAUNCH_GRACE_MS = 5_000;

/** start = serve + worker in one process (three threads: cli/launch/launch.ts), with the embedded defaults (PGlite, managed Redis). */
async function runHub(role: Role, portOverride: string | undefined, sandbox = false): Promise<number> {
  // Imported here: the API server, the push receivers and the sandbox's emulators are this
  // command's alone, and loading them cost every other command ~0.3 s of CPU (issue 15).
  // Heard from before the launch: a signal while the hub starts (it logs "listening" before the
  // launch returns) then stops it once it is up, instead of Node's default ending the process with
  // the managed redis-server left running. SIGHUP: the terminal went away.
  // A second signal ends the process at once, but one within a second of the first is the same
  // request heard twice: a terminal's Ctrl-C reaches the whole process group, and `npm start`'s
  // wrapper passes signals on too (scripts/bootstrap.mjs). The handlers stay installed throughout,
  // so no repeat ever meets Node's default of ending the process with Redis left running.
  let firstAt = 0;
  let stopRequested = (): void => {};
  const signalled = new Promise<null>((resolve) => {
    stopRequested = () => resolve(null);
  });
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(s, () => {
      if (firstAt === 0) {
        firstAt = Date.now();
        stopRequested();
      } else if (Date.now() - firstAt > 1000) process.exit(exitCodes[s]);
    });
  }
  const { launchHub } = await import('../launch/launch.ts');
  const launching = launchHub({ role, sandbox, ...(portOverride === undefined ? {} : { port: Number(portOverride) }) });
  // A launch waiting on a dependency that does not answer (a Redis that is down) never came up, so
  // the first signal went unheard until a second one (systemd's SIGKILL after its timeout). It is
  // given a few seconds to come up and be closed cleanly; past them, nothing of it is running yet.
  const early = await Promise.race([launching.then(() => false), signalled.then(() => true)]);
  if (early) {
    const up = await Promise.race([launching, new Promise<null>((resolve) => setTimeout(resolve, LAUNCH_GRACE_MS, null).unref())]).catch(() => null);
    if (!up) {
      process.stderr.write(`calhub ${role}: stopped before it finished starting\n`);
      // Its connections still retrying would keep the process alive.
      process.exit(EXIT.OK);
    }
  }
  const running = await launching;
  const log = running.hub.log;
  const stopping: Promise<Error | null> = Promise.race([signalled, running.crashed]);
  const crashed = await stopping;
  log.info(crashed ? 'a thread of the hub failed; shutting down' : 'shutting down');
  // A shutdown stuck on a dead dependency must still end the process; so does a second signal (above).
  const force = setTimeout(() => {
    log.error('shutdown took longer than 20 s; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  if (firstAt === 0) firstAt = 1; // stopping for a crashed thread: any signal now means exit now
  await running.close();
  clearTimeout(force);
  return crashed ? EXIT.FAILED : EXIT.OK;
}

const portOption = { port: { type: 'string' as const, short: 'p' } };

export const start: Command = {
  name: 'start',
  usage: 'calhub start [--port <n>] [--sandbox]',
  summary: summaryOf('start'),
  options: { ...portOption, sandbox: { type: 'boolean' } },
  run: ({ values }) => runHub('start', values.port as string | undefined, Boolean(values.sandbox)),
};

export const serve: Command = {
  name: 'serve',
  usage: 'calhub serve [--port <n>]',
  summary: summaryOf('serve'),
  options: portOption,
  run: ({ values }) => runHub('serve', values.port as string | undefined),
};

export const worker: Command = {
  name: 'worker',
  usage: 'calhub worker',
  summary: summaryOf('worker'),
  options: {},
  run: () => runHub('worker', undefined),
};
