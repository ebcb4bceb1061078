/** The Microsoft Graph calendar emulator: `startMicrosoftEmulator()` for tests, CLI and sandbox. */
import type { AddressInfo } from 'node:net';
import { MicrosoftEmulatorControl } from './control.ts';
import { createEmulatorServer } from './server.ts';
import { EmulatorState } from './state.ts';
import { setSwitches, type GraphSwitches } from './switches.ts';

export { MicrosoftEmulatorControl } from './control.ts';
export type { EventData } from './model.ts';
export type { PatternedRecurrence } from './recurrence.ts';

export interface MicrosoftEmulator {
  /** Origin of both the Graph paths (`/v1.0/…`) and the identity paths (`/{tenant}/oauth2/v2.0/…`). */
  url: string;
  close(): Promise<void>;
  control: MicrosoftEmulatorControl;
}

export type { GraphSwitches } from './switches.ts';
export { MAX_EXPIRY_MINUTES as GRAPH_MAX_EVENT_SUBSCRIPTION_MINUTES } from './subscriptions.ts';

/** `switches`: field readings and test allowances (switches.ts); documented behaviour by default. */
export async function startMicrosoftEmulator(opts: { port?: number; host?: string; switches?: Partial<GraphSwitches> } = {}): Promise<MicrosoftEmulator> {
  const state = new EmulatorState();
  setSwitches(state.switches, opts.switches ?? {});
  const server = createEmulatorServer(state);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.baseUrl = url;
  return {
    url,
    control: new MicrosoftEmulatorControl(state),
    close: async () => {
      state.subs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
