/**
 * `calhub start --sandbox`: the Google and Microsoft emulators in this process with demo data
 * (seed.ts), the hub wired to them, and — once the hub listens — a demo tenant whose users are
 * connected through the real OAuth flow (authorize URL, the emulator's consent form, calhub's
 * callback), synced, and given one mirror rule. What a script needs is written to
 * `<CALHUB_DATA_DIR>/sandbox.json`; what a person needs is printed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../shared/errors.ts';
import { managedRedisPids } from '../../shared/managed-redis.ts';
import { processAlive } from '../../shared/process-alive.ts';
import { startGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import {
  allowRedirectUri, createConnectSession, createRule, createTenant, listCalendars, operatorAuthorizeUrl, type Hub, type OAuthProviderId,
} from '../../hub/index.ts';
import { waitForConnect } from '../connect-wait.ts';
import { consentAndReturn } from './auto-consent.ts';
import { demoMonday, GOOGLE_USER, seedGoogle, seedMicrosoft } from './seed.ts';

const CLIENT_ID = 'calhub-sandbox';
// Not a secret: the emulators run in this process and accept it from nobody else.
const CLIENT_SECRET = 'calhub-sandbox-not-a-secret';
/** Where the sandbox's connect page ends (a page of the tenant's app, which the sandbox does not have). */
export const SANDBOX_REDIRECT = 'http://localhost:8080/calendar-connected';

export interface SandboxProviders {
  /** Environment for the hub: the emulators as Google and Microsoft, the data in a sandbox folder. */
  env: Record<string, string>;
  msUserId: string;
  /** Where the emulators listen; their control APIs are under /_emulator. */
  emulators: { google: string; microsoft: string };
  close(): Promise<void>;
}

export interface SandboxFile {
  tenantId: string;
  apiKey: string;
  apiUrl: string;
  connectUrl: string;
  accounts: Array<{ id: string; provider: string; calendars: Array<{ id: string; name: string }> }>;
  emulators: { google: string; microsoft: string };
}

/**
 * The sandbox keeps its database and Redis in `<dataDir>/sandbox`, emptied on every start: the
 * emulators hold their data in memory, so grants stored by an earlier run would point at nothing.
 */
export function sandboxDataDir(dataDir: string): string {
  const dir = join(dataDir, 'sandbox');
  // A sandbox already running here keeps its store: emptied under it, its writes failed until it
  // was restarted, and this start then failed on the taken port anyway.
  const pids = managedRedisPids(dir);
  if (pids && pids.owner !== process.pid && processAlive(pids.owner) && processAlive(pids.redis)) {
    throw new ConfigError('CALHUB_DATA_DIR', `a data directory no other calhub uses (process ${pids.owner} runs a sandbox here; stop it first, or give this one another CALHUB_DATA_DIR)`);
  }
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** The emulators' ports: 0 is any free one (CALHUB_SANDBOX_GOOGLE_PORT, CALHUB_SANDBOX_MICROSOFT_PORT). */
export interface SandboxPorts {
  google: number;
  microsoft: number;
}

const PORT_VARIABLES = { google: 'CALHUB_SANDBOX_GOOGLE_PORT', microsoft: 'CALHUB_SANDBOX_MICROSOFT_PORT' } as const;

/** A chosen port that cannot be the emulator's: refused naming the setting, not a bare EADDRINUSE. */
async function listening<T>(which: keyof SandboxPorts, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    throw new ConfigError(PORT_VARIABLES[which], `a port free on 127.0.0.1 for the sandbox's emulated ${which === 'google' ? 'Google' : 'Microsoft'} (${port}: ${code === 'EADDRINUSE' ? 'in use' : 'not permitted'}); 0 takes any free port`, e);
  }
}

export async function startSandboxProviders(o: { host: string; port: number; dataDir: string; ports?: SandboxPorts }): Promise<SandboxProviders> {
  const ports = o.ports ?? { google: 0, microsoft: 0 };
  // Before anything starts: the hub listens on its port after the emulators, and would be the one refused.
  for (const which of ['google', 'microsoft'] as const) {
    if (ports[which] !== 0 && ports[which] === o.port) throw new ConfigError(PORT_VARIABLES[which], `a port other than the hub's own (${o.port}, PORT or --port)`);
  }
  if (ports.google !== 0 && ports.google === ports.microsoft) throw new ConfigError(PORT_VARIABLES.microsoft, `a port other than ${PORT_VARIABLES.google}'s (${ports.google})`);
  // Before the emulators: a refusal leaves nothing listening.
  const dataDir = sandboxDataDir(o.dataDir);
  const now = new Date();
  // Push to the hub's http address works here (CALHUB_PUBLIC_URL_ALLOW_HTTP=sandbox): the real providers refuse http.
  const google = await listening('google', ports.google, () => startGoogleEmulator({ allowHttpPush: true, port: ports.google }));
  const ms = await listening('microsoft', ports.microsoft, () => startMicrosoftEmulator({ switches: { allowHttpPush: true }, port: ports.microsoft })).catch(async (e: unknown) => {
    await google.close();
    throw e;
  });
  seedGoogle(google, demoMonday(now));
  const msUserId = seedMicrosoft(ms, demoMonday(now));
  const callbackHost = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
  ms.control.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://${callbackHost}:${o.port}/oauth/microsoft/callback`], name: 'calhub sandbox' });
  return {
    env: {
      CALHUB_DATA_DIR: dataDir,
      GOOGLE_CLIENT_ID: CLIENT_ID, GOOGLE_CLIENT_SECRET: CLIENT_SECRET, GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
      MICROSOFT_CLIENT_ID: CLIENT_ID, MICROSOFT_CLIENT_SECRET: CLIENT_SECRET, MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url,
    },
    msUserId,
    emulators: { google: google.url, microsoft: ms.url },
    async close() {
      await google.close();
      await ms.close();
    },
  };
}

async function connectDemoUser(hub: Hub, tenantId: string, provider: OAuthProviderId, account: string): Promise<string> {
  const wait = await waitForConnect(hub, 60_000);
  try {
    const { url } = await operatorAuthorizeUrl(hub, tenantId, provider, { redirectUri: wait.redirectUri, access: 'readwrite' });
    await consentAndReturn(url, { account, decision: 'allow' });
    const back = await wait.result;
    const id = back.get('accountId');
    if (!id) throw new Error(`connecting the ${provider} demo user failed: ${back.get('error')} ${back.get('error_description') ?? ''}`);
    return id;
  } finally {
    await wait.close();
  }
}

async function waitSynced(hub: Hub, tenantId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cals = await listCalendars(hub, tenantId);
    if (cals.every((c) => c.lastSuccessAt)) return;
    if (Date.now() > deadline) throw new Error(`the demo calendars did not sync within ${timeoutMs / 1000} s: ${cals.filter((c) => !c.lastSuccessAt).map((c) => `${c.name} (${c.lastError ?? c.syncStage})`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** After the hub listens at `apiUrl`: the demo tenant, its connected users, a mirror rule, sandbox.json. */
export async function populateSandbox(hub: Hub, p: SandboxProviders, o: { apiUrl: string; fileDir: string }): Promise<SandboxFile> {
  const { tenant, apiKey } = await createTenant(hub, 'sandbox');
  const googleId = await connectDemoUser(hub, tenant.id, 'google', GOOGLE_USER.email);
  const msId = await connectDemoUser(hub, tenant.id, 'microsoft', p.msUserId);
  await waitSynced(hub, tenant.id, 120_000);
  const cals = await listCalendars(hub, tenant.id);
  // One mirror rule: Lee's Outlook calendar blocks time in Ada's Google calendar.
  const adaPrimary = cals.find((c) => c.accountId === googleId && c.providerCalendarId === GOOGLE_USER.email);
  const leeDefault = cals.find((c) => c.accountId === msId && c.name === 'Calendar');
  if (adaPrimary && leeDefault) await createRule(hub, tenant.id, { sourceCalendarId: leeDefault.id, targetCalendarId: adaPrimary.id, config: { mode: 'busy-block' } });
  await allowRedirectUri(hub, tenant.id, SANDBOX_REDIRECT);
  const { url: connectUrl } = await createConnectSession(hub, tenant.id, { redirectUri: SANDBOX_REDIRECT, access: 'read' });
  const file: SandboxFile = {
    tenantId: tenant.id,
    apiKey,
    apiUrl: o.apiUrl,
    connectUrl,
    accounts: [googleId, msId].map((id) => ({
      id,
      provider: id === googleId ? 'google' : 'microsoft',
      calendars: cals.filter((c) => c.accountId === id).map((c) => ({ id: c.id, name: c.name })),
    })),
    emulators: p.emulators,
  };
  mkdirSync(o.fileDir, { recursive: true });
  writeFileSync(join(o.fileDir, 'sandbox.json'), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The week the curl commands ask about, computed at start: from today (00:00 UTC) or the demo week's Monday if later, seven days. */
export function demoWindow(now = new Date()): { timeMin: string; timeMax: string } {
  const from = Math.max(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), demoMonday(now).getTime());
  return { timeMin: new Date(from).toISOString(), timeMax: new Date(from + 7 * 86_400_000).toISOString() };
}

export function sandboxInstructions(f: SandboxFile, fileDir: string): string {
  const w = demoWindow();
  const auth = `-H 'authorization: Bearer ${f.apiKey}'`;
  const json = `-H 'content-type: application/json'`;
  const [g, m] = f.accounts;
  return [
    '',
    'calhub sandbox is ready: Google and Microsoft emulators with demo users, connected through OAuth and synced.',
    `  API         ${f.apiUrl}   (docs: ${f.apiUrl}/docs)`,
    `  tenant      ${f.tenantId}`,
    `  API key     ${f.apiKey}`,
    `  connect page for a new user: ${f.connectUrl}`,
    `  the same as JSON: ${join(fileDir, 'sandbox.json')}`,
    `  emulators   Google ${f.emulators.google}, Microsoft ${f.emulators.microsoft}`,
    `              whom your writes would have told: ${f.emulators.google}/_emulator/guest-mail, ${f.emulators.microsoft}/_emulator/meetingMessages`,
    '',
    'Try:',
    `curl -s ${auth} ${f.apiUrl}/v1/accounts`,
    `curl -s ${auth} ${f.apiUrl}/v1/calendars`,
    `curl -s ${auth} ${json} -d '${JSON.stringify({ accountIds: f.accounts.map((a) => a.id), ...w })}' ${f.apiUrl}/v1/freebusy`,
    `curl -s ${auth} ${json} -d '${JSON.stringify({ participants: [{ accountIds: [g!.id] }, { accountIds: [m!.id] }], durationMinutes: 30, ...w })}' ${f.apiUrl}/v1/availability`,
    '',
  ].join('\n');
}
