// Graph payloads in tests are read field by field; typing each one would hide what a test checks.
/* eslint-disable @typescript-eslint/no-explicit-any */
/** Shared setup for the emulator's own tests: a running emulator, one user, a token, a fetch helper. */
import { startMicrosoftEmulator, type MicrosoftEmulator } from './index.ts';

export interface TestGraph {
  emu: MicrosoftEmulator;
  userId: string;
  calendarId: string;
  token: string;
  refreshToken: string | null;
  call(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; json: any; headers: Headers }>;
}

export async function startTestGraph(o: { timeZone?: string } = {}): Promise<TestGraph> {
  // Test receivers are plain http on loopback.
  const emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
  const user = emu.control.createUser({ email: 'adele@contoso.test', displayName: 'Adele Vance', timeZone: o.timeZone ?? 'Europe/Berlin' });
  const tokens = emu.control.issueToken({ userId: user.id });
  const g: TestGraph = {
    emu, userId: user.id, calendarId: user.calendarId, token: tokens.accessToken, refreshToken: tokens.refreshToken,
    async call(method, path, opts = {}) {
      const url = path.startsWith('http') ? path : `${emu.url}/v1.0${path}`;
      const res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${g.token}`, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
  return g;
}

/** A timed event body in a Windows zone. */
export function timed(subject: string, start: string, end: string, timeZone = 'W. Europe Standard Time', extra: Record<string, unknown> = {}) {
  return { subject, start: { dateTime: start, timeZone }, end: { dateTime: end, timeZone }, ...extra };
}

/** Follows a delta round to its deltaLink, collecting every page. */
export async function deltaRound(g: TestGraph, first: string, headers: Record<string, string> = {}) {
  const pages: any[] = [];
  let next: string | undefined = first;
  while (next) {
    const r = await g.call('GET', next, { headers });
    if (r.status !== 200) throw Object.assign(new Error(`delta ${r.status}`), { response: r });
    pages.push(r.json);
    if (r.json['@odata.deltaLink']) return { pages, deltaLink: r.json['@odata.deltaLink'] as string, items: pages.flatMap((p) => p.value) };
    next = r.json['@odata.nextLink'];
  }
  throw new Error('no deltaLink');
}
