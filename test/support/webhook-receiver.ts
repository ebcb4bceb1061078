/** Starts and drives webhook-receiver-child.ts (a separate process that verifies every signature). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Received {
  id: string;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are read loosely in assertions
  payload: { id: string; type: string; timestamp: string; data: Record<string, any> };
  at: number;
}

export interface Receiver {
  url: string;
  base: string;
  state(): Promise<{ accepted: Received[]; refused: number; failedOnPurpose: number }>;
  control(c: { failing?: boolean; failingTypes?: string[]; secrets?: string[]; reset?: boolean }): Promise<void>;
  /** Waits until `pred` holds for the accepted list (polling), or fails after `ms`. */
  waitFor(pred: (accepted: Received[]) => boolean, ms: number, what: string): Promise<Received[]>;
  close(): Promise<void>;
}

const child = fileURLToPath(new URL('./webhook-receiver-child.ts', import.meta.url));

export async function startReceiver(secrets: string[] = []): Promise<Receiver> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, RECEIVER_SECRETS: secrets.join(',') }, stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  const r: Receiver = {
    base,
    url: `${base}/hook`,
    state: async () => (await (await fetch(`${base}/state`)).json()) as Awaited<ReturnType<Receiver['state']>>,
    control: async (c) => void (await fetch(`${base}/control`, { method: 'POST', body: JSON.stringify(c) })),
    async waitFor(pred, ms, what) {
      const until = Date.now() + ms;
      for (;;) {
        const { accepted } = await r.state();
        if (pred(accepted)) return accepted;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; received ${accepted.length}: ${accepted.slice(-5).map((a) => a.type).join(', ')}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    close: async () => {
      proc.stdin!.end();
      await new Promise((res) => (proc.exitCode === null ? proc.once('exit', res) : res(null)));
    },
  };
  return r;
}
