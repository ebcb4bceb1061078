/** The process hostile-dav-process.ts forks: its servers, and their request logs over IPC. */
import { startHostileDav, type Behaviour } from './hostile-dav.ts';

const specs = JSON.parse(process.argv[2] ?? '[]') as Array<Record<string, Behaviour>>;
const servers = await Promise.all(specs.map((s) => startHostileDav(s)));
process.send?.({ type: 'ready', servers: servers.map((s) => ({ url: s.url, homeUrl: s.homeUrl })) });
process.on('message', (m: { type: string; id: number }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', id: m.id, servers: servers.map((s) => ({ requests: s.requests, open: s.open() })) });
});
const stop = async () => {
  for (const s of servers) await s.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
// The test process died without stopping us: do not linger.
process.once('disconnect', () => void stop());
