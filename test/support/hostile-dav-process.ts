/**
 * Hostile CalDAV servers (hostile-dav.ts) in a process of their own, as an attacker's server is
 * another machine: building their answers (tens of MB of huge items, a 30,000-href listing) must
 * not run on the event loop of the hub or of the test that measures it. The parent asks for the
 * requests each server has seen over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Behaviour, HostileDav } from './hostile-dav.ts';

export type ServerStats = { requests: HostileDav['requests']; open: number };

export interface HostileDavProcess {
  servers: Array<Pick<HostileDav, 'url' | 'homeUrl' | 'calendarUrl'>>;
  /** Each server's requests so far and how many are still being answered, in `servers` order. */
  stats(): Promise<ServerStats[]>;
  stop(): Promise<void>;
}

const hasNice = existsSync('/usr/bin/nice');

type FromChild = { type: 'ready'; servers: Array<{ url: string; homeUrl: string }> } | { type: 'stats'; id: number; servers: ServerStats[] };

export async function startHostileDavProcess(specs: Array<Record<string, Behaviour>>): Promise<HostileDavProcess> {
  // At the lowest CPU priority (nice 19): on a machine of 2 cores the attacker's server would
  // otherwise take CPU from the victim's own server (Radicale), which in life runs elsewhere too.
  const nice = hasNice ? { execPath: '/usr/bin/nice', execArgv: ['-n', '19', process.execPath, '--import', 'tsx'] } : { execArgv: ['--import', 'tsx'] };
  const child: ChildProcess = fork(fileURLToPath(new URL('./hostile-dav-child.ts', import.meta.url)), [JSON.stringify(specs)], {
    ...nice,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (s: ServerStats[]) => void>();
  let ready: (m: Extract<FromChild, { type: 'ready' }>) => void = () => undefined;
  const up = new Promise<Extract<FromChild, { type: 'ready' }>>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`the hostile DAV process exited with ${code}`)));
  });
  child.on('message', (m: FromChild) => {
    if (m.type === 'ready') return ready(m);
    waiting.get(m.id)?.(m.servers);
    waiting.delete(m.id);
  });
  const { servers } = await up;
  let next = 1;
  return {
    servers: servers.map((s) => ({ ...s, calendarUrl: (n: string) => `${s.homeUrl}${n}/` })),
    stats: () =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.send({ type: 'stats', id });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
