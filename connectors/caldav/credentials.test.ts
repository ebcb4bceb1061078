import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavClient } from './dav-client.ts';

type Seen = { url: string; auth: string | null };

/** A server farm by URL: `routes` answers per URL (a redirect target, or 207); every request is recorded. */
function farm(routes: Record<string, string>) {
  const seen: Seen[] = [];
  const fetchFn = (async (input: string | URL, init: RequestInit = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    seen.push({ url, auth: headers.get('authorization') });
    const to = routes[url];
    if (to) return new Response(null, { status: 301, headers: { location: to } });
    return new Response('<multistatus xmlns="DAV:"/>', { status: 207 });
  }) as typeof fetch;
  return { seen, fetchFn };
}

const ctx = {
  credentials: { kind: 'basic' as const, username: 'alice', password: 'hunter2' },
  signal: new AbortController().signal,
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
};
const authOf = (seen: Seen[], url: string) => seen.find((s) => s.url === url)?.auth;

// Issue 18: the password followed redirects to other sites under public suffixes, and went to any host an href named.
describe('CalDAV credentials go only to the origin they were given for', () => {
  for (const [from, to] of [
    ['https://dav.example.co.uk/', 'https://evil.co.uk/dav/'],
    ['https://cal.example.com.au/', 'https://attacker.com.au/'],
    ['https://alice.github.io/dav/', 'https://mallory.github.io/dav/'],
    ['https://alice-dav.herokuapp.com/', 'https://mallory-dav.herokuapp.com/'],
    ['https://dav.example.com/', 'https://203.0.113.9/'],
    ['https://dav.example.com/', 'https://example.org/'],
  ] as const) {
    it(`a redirect from ${from} to another site (${new URL(to).host}) is refused`, async () => {
      const { seen, fetchFn } = farm({ [from]: to });
      const dav = new DavClient(fetchFn, ctx, undefined, from);
      await assert.rejects(dav.request({ method: 'PROPFIND', url: from }), /redirected to another site/);
      assert.ok(seen.every((s) => new URL(s.url).host !== new URL(to).host), `${to} was contacted`);
      assert.ok(authOf(seen, from));
    });
  }

  it('a redirect within the same site is followed without credentials; within the origin with them', async () => {
    const start = 'https://caldav.example.com/';
    const { seen, fetchFn } = farm({ [start]: 'https://caldav.example.com/dav/', 'https://caldav.example.com/dav/': 'https://www.example.com/dav/' });
    const dav = new DavClient(fetchFn, ctx, undefined, start);
    await dav.request({ method: 'PROPFIND', url: start });
    assert.ok(authOf(seen, 'https://caldav.example.com/dav/'), 'same origin keeps the credentials');
    assert.equal(authOf(seen, 'https://www.example.com/dav/'), null, 'another origin of the same site gets none');
  });

  it('a downgrade to http or another port of the same host gets no credentials', async () => {
    for (const to of ['http://dav.example.com/', 'https://dav.example.com:8443/']) {
      const { seen, fetchFn } = farm({ 'https://dav.example.com/': to });
      await new DavClient(fetchFn, ctx, undefined, 'https://dav.example.com/').request({ method: 'PROPFIND', url: 'https://dav.example.com/' });
      assert.equal(authOf(seen, to), null, to);
    }
  });

  it('an href naming another host never gets the password', async () => {
    const { seen, fetchFn } = farm({});
    const dav = new DavClient(fetchFn, ctx, undefined, 'https://dav.example.com/');
    await dav.request({ method: 'PROPFIND', url: 'https://dav.example.com/principal/' });
    await dav.request({ method: 'PROPFIND', url: 'https://collector.example.net/calendars/' });
    assert.ok(authOf(seen, 'https://dav.example.com/principal/'));
    assert.equal(authOf(seen, 'https://collector.example.net/calendars/'), null);
  });
});
