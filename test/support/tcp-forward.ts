/**
 * A TCP forwarder to a real server (PostgreSQL here) that a test can cut and restore: cutting
 * closes its port and every connection through it, what a stopped or unreachable server looks
 * like to a client, without stopping the shared server every other test uses. Hanging keeps every
 * connection open and accepts new ones but forwards nothing, either way, until resumed: a server
 * stopped with SIGSTOP or a network path dropping packets without a reset. Resuming delivers
 * what was held, as TCP would once the path is back.
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
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const join = (client: net.Socket) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(upstream);
    const pair = { client, upstream };
    pairs.add(pair);
    upstream.on('close', () => {
      sockets.delete(upstream);
      pairs.delete(pair);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  };
  const hang = () => {
    hung = true;
    for (const { client, upstream } of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  };
  const resume = () => {
    hung = false;
    for (const { client, upstream } of pairs) client.pipe(upstream).pipe(client);
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
  return { port, cut, restore: () => (server ? Promise.resolve() : listen()), hang, resume, close: cut };
}
