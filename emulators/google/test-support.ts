/** Shared setup for the emulator's own tests: a running emulator, one user, a token, a fetch helper. */
import { startGoogleEmulator, type RunningGoogleEmulator } from './server.ts';

/** Tests walk arbitrary Google JSON; typing every response shape would hide the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Reply = { status: number; json: Json; headers: Headers; text: string };

export interface TestEnv {
  emu: RunningGoogleEmulator;
  email: string;
  calId: string;
  token: string;
  refreshToken: string;
  call(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<Reply>;
  events(query?: Record<string, string | string[]>, calId?: string): Promise<Reply>;
}

export async function startEnv(timeZone = 'Europe/Berlin'): Promise<TestEnv> {
  // Test receivers are plain http on loopback.
  const emu = await startGoogleEmulator({ allowHttpPush: true });
  const email = 'ada@example.com';
  emu.control.createUser({ email, displayName: 'Ada', timeZone });
  const { accessToken, refreshToken } = emu.control.issueGrant({ email });
  const call: TestEnv['call'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? accessToken : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${emu.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      redirect: 'manual',
    });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: r.status, json, headers: r.headers, text };
  };
  const events: TestEnv['events'] = (query = {}, calId = email) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
    return call(`/calendar/v3/calendars/${encodeURIComponent(calId)}/events?${u}`);
  };
  return { emu, email, calId: email, token: accessToken, refreshToken, call, events };
}

export const timed = (startIso: string, endIso: string, extra: Record<string, unknown> = {}) => ({
  start: { dateTime: startIso, timeZone: 'Europe/Berlin' },
  end: { dateTime: endIso, timeZone: 'Europe/Berlin' },
  ...extra,
});
