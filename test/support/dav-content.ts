/**
 * Plain-HTTP access to a CalDAV server's content for integration tests: seeding events the way
 * another client would, reading back what the server really holds, and a pass-through proxy that
 * counts the writes calhub makes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCalendarObject } from '../../connectors/caldav/ical/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { davFetch } from './caldav-harness.ts';
import { authHeader, type DavServer } from './dav-servers.ts';
import { forwardTo } from './forward.ts';

export interface SeedEvent {
  uid: string;
  summary: string;
  /** `DTSTART…` / `DTEND…` lines exactly as written, e.g. `DTSTART:20261210T090000Z`. */
  start: string;
  end: string;
  extra?: string[];
  /** Further VEVENTs of the same UID (overrides), as raw lines. */
  overrides?: string[][];
}

export function icsOf(e: SeedEvent): string {
  const vevent = (lines: string[]) => ['BEGIN:VEVENT', `UID:${e.uid}`, 'DTSTAMP:20261101T000000Z', ...lines, 'END:VEVENT'];
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calhub tests//other client//EN',
    ...vevent([e.start, e.end, `SUMMARY:${e.summary}`, ...(e.extra ?? [])]),
    ...(e.overrides ?? []).flatMap(vevent),
    'END:VCALENDAR', '',
  ].join('\r\n');
}

/** PUTs an event as another client would; returns the resource URL. */
export async function putEvent(server: DavServer, calUrl: string, e: SeedEvent, name = `${e.uid}.ics`): Promise<string> {
  const url = new URL(name, calUrl).toString();
  await davFetch(server, url, { method: 'PUT', body: icsOf(e) });
  return url;
}

export async function deleteResource(server: DavServer, url: string): Promise<void> {
  await davFetch(server, url, { method: 'DELETE' });
}

export interface ServerObject {
  href: string;
  raw: string;
  /** Unfolded content lines. */
  lines: string[];
  events: CanonicalEvent[];
  /** Why calhub's parser refused the object (its events are then parsed without X-CALHUB-PROVENANCE). */
  parseError: string | null;
}

function parseLoosely(raw: string): { events: CanonicalEvent[]; parseError: string | null } {
  try {
    return { events: parseCalendarObject(raw).events, parseError: null };
  } catch (e) {
    const stripped = raw.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => !l.startsWith('X-CALHUB-PROVENANCE')).join('\r\n');
    return { events: parseCalendarObject(stripped).events, parseError: (e as Error).message };
  }
}

/** Everything the collection holds, read with PROPFIND + GET (not through calhub). */
export async function serverObjects(server: DavServer, calUrl: string): Promise<ServerObject[]> {
  const res = await fetch(calUrl, {
    method: 'PROPFIND',
    headers: { ...authHeader(server), depth: '1', 'content-type': 'application/xml' },
    body: '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
  });
  if (res.status !== 207) throw new Error(`PROPFIND ${calUrl} → ${res.status}`);
  const self = new URL(calUrl).pathname;
  const hrefs = [...(await res.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => m[1]!).filter((h) => h !== self);
  const out: ServerObject[] = [];
  for (const href of hrefs) {
    const raw = await (await davFetch(server, new URL(href, calUrl).toString(), { method: 'GET' })).text();
    out.push({ href, raw, lines: raw.replace(/\r?\n[ \t]/g, '').split(/\r?\n/), ...parseLoosely(raw) });
  }
  return out.sort((a, b) => a.href.localeCompare(b.href));
}

/** The collection's change markers (getctag and sync-token): they move on every write. */
export async function collectionTag(server: DavServer, calUrl: string): Promise<string> {
  const res = await fetch(calUrl, {
    method: 'PROPFIND',
    headers: { ...authHeader(server), depth: '0', 'content-type': 'application/xml' },
    body: '<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag/><sync-token/></prop></propfind>',
  });
  const text = await res.text();
  const ctag = /getctag[^>]*>([^<]+)</.exec(text)?.[1];
  const token = /sync-token[^>]*>([^<]+)</.exec(text)?.[1];
  if (!ctag && !token) throw new Error(`no getctag/sync-token on ${calUrl}: ${text}`);
  return `${ctag ?? ''}|${token ?? ''}`;
}

export interface WriteCounter {
  url: string;
  /** Method + path of every write (PUT, DELETE, POST, PROPPATCH, MKCALENDAR, MOVE, COPY) since the last reset. */
  writes: string[];
  reset(): void;
  close(): Promise<void>;
}

const WRITES = new Set(['PUT', 'DELETE', 'POST', 'PROPPATCH', 'MKCALENDAR', 'MKCOL', 'MOVE', 'COPY']);

/** A pass-through proxy in front of `target` that records the writes going through it. */
export async function writeCounter(target: string): Promise<WriteCounter> {
  const writes: string[] = [];
  const server = http.createServer((req, res) => {
    if (WRITES.has(req.method ?? '')) writes.push(`${req.method} ${req.url}`);
    forwardTo(target, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    writes,
    reset: () => void writes.splice(0),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
