/** A stand-in for `calhub start`'s Redis part: starts the managed redis-server and waits to be killed. */
import { startManagedRedis } from '../../shared/managed-redis.ts';

const managed = await startManagedRedis({ dataDir: process.argv[2]!, secretsDir: process.argv[3]!, bin: 'redis-server' });
process.stdout.write(`${JSON.stringify({ url: managed.url, redisPid: managed.pid() })}\n`);
setInterval(() => undefined, 60_000);
