/**
 * A TCP forwarder to a real server (PostgreSQL here) that a test can cut and restore: cutting
 * closes its port and every connection through it, what a stopped or unreachable server looks
 * like to a client, without stopping the shared server every other test uses. Hanging keeps every
 * connection open and accepts new ones but forwards nothing, either way, until resumed: a server
 * stopped with SIGSTOP or a network path dropping packets without a reset. Resuming delivers
 * what was held, as TCP would once the path is back. A server closing a connection while hung (it
 * was restarted, or terminated the backend) is not told to the client, its FIN lost on the path:
 * after resuming the client hears nothing more on it, and is reset the next time it sends, as a
 * half-open TCP connection is.
 */
import net from 'node:net';

export interface TcpForward {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Stops forwarding (connections stay open, new ones are accepted and held). */
  hang(): void;
  /** Forwards again, what was held first. */
  resume(): void;
  /** How many connections to the server are open (closed by the server when it drops one). */
  readonly upstreams: number;
  close(): Promise<void>;
}

export async function tcpForward(host: string, targetPort: number): Promise<TcpForward> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        if (hung) held.push(client);
        else join(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  let hung = false;
  /** Connections accepted while hung, not yet connected to the server. */
  let held: net.Socket[] = [];
  /** While hung, what the server sends is read (so its close is seen) and kept in `held` until resumed. */
  type Pair = { client: net.Socket; upstream: net.Socket; held: Buffer[] };
  const pairs = new Set<Pair>();
  const hold = (pair: Pair) => (chunk: Buffer) => void pair.held.push(chunk);
  const holders = new Map<Pair, (chunk: Buffer) => void>();
  /** Clients whose server closed their connection during a hang, not told. */
  const halfOpen = new Set<net.Socket>();
  const join = (client: net.Socket) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(upstream);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    upstream.on('close', () => {
      sockets.delete(upstream);
      pairs.delete(pair);
      if (!hung) return void client.destroy();
      // Half-open from here: what it sent and its close are lost with the path; the first bytes
      // the client sends after the hang are answered by a reset.
      client.unpipe(upstream);
      halfOpen.add(client);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  };
  const hang = () => {
    hung = true;
    for (const pair of pairs) {
      const { client, upstream } = pair;
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      const h = hold(pair);
      holders.set(pair, h);
      upstream.on('data', h);
      upstream.resume(); // unpiping paused it
    }
  };
  const resume = () => {
    hung = false;
    for (const client of halfOpen) {
      client.once('data', () => client.resetAndDestroy());
      client.resume();
    }
    halfOpen.clear();
    for (const pair of pairs) {
      const h = holders.get(pair);
      if (h) pair.upstream.off('data', h);
      for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
      pair.client.pipe(pair.upstream).pipe(pair.client);
    }
    holders.clear();
    const waiting = held.filter((c) => !c.destroyed);
    held = [];
    for (const c of waiting) join(c);
  };
  const cut = async () => {
    const s = server;
    server = null;
    for (const x of [...sockets, ...held]) x.destroy();
    held = [];
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    port,
    cut,
    restore: () => (server ? Promise.resolve() : listen()),
    hang,
    resume,
    close: cut,
    get upstreams() {
      return pairs.size;
    },
  };
}
