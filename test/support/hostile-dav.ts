/**
 * A hostile CalDAV server on loopback, the way an attacker (or a broken server) behaves: it drips
 * one byte at a time, streams at a set rate, waits long before its first byte, answers with huge
 * bodies, lists a great many hrefs, leaves calendar-data out of multiget answers, or serves
 * malformed items. Each calendar under /home/<name>/ has its
 * own behaviour; everything else about it is a minimal but valid sync-collection server, so the
 * real connector and the hub can be pointed at it unchanged. Counts every request it serves.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  /** `count` ordinary items. */
  | { kind: 'normal'; count: number }
  /** Every answer's body comes one byte per `intervalMs`. */
  | { kind: 'drip'; count: number; intervalMs: number }
  /** Every answer's body comes `chunkBytes` per `intervalMs`: a steady stream (fast or slow) rather than a drip. */
  | { kind: 'stream'; count: number; chunkBytes: number; intervalMs: number }
  /** Every answer waits `delayMs` before its first byte, then comes at once: a server that builds its whole answer first (Radicale). */
  | { kind: 'slow-start'; count: number; delayMs: number }
  /** Valid items, each padded to `itemBytes` (a DESCRIPTION of that size). */
  | { kind: 'huge'; count: number; itemBytes: number }
  /** `count` hrefs in one sync-collection answer. */
  | { kind: 'many'; count: number }
  /** multiget answers carry getetag but never calendar-data. */
  | { kind: 'omit-data'; count: number }
  /** Every other item is malformed iCalendar. */
  | { kind: 'malformed'; count: number }
  /** The sync-collection answer is `body`, verbatim (an XML bomb, an external entity, junk). */
  | { kind: 'raw-listing'; count: number; body: string };

export interface HostileDav {
  url: string;
  /** The calendar home: connect an account with this as its server URL. */
  homeUrl: string;
  calendarUrl(name: string): string;
  requests: { method: string; path: string; kind: string }[];
  /** Requests still being answered (a drip keeps them open). */
  open(): number;
  stop(): Promise<void>;
}

const ms = (body: string) => `<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${body}</D:multistatus>`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ics(cal: string, i: number, b: Behaviour): string {
  if (b.kind === 'malformed' && i % 2 === 1) return `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${cal}-${i}\r\nDTSTART:not-a-date\r\nRRULE:FREQ=SOMETIMES\r\n`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const pad = b.kind === 'huge' ? `DESCRIPTION:${'x'.repeat(b.itemBytes)}\r\n` : '';
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\nUID:${cal}-${i}\r\nDTSTAMP:20260101T000000Z\r\n` +
    `DTSTART:202612${day}T100000Z\r\nDTEND:202612${day}T110000Z\r\nSUMMARY:item ${i}\r\n${pad}END:VEVENT\r\nEND:VCALENDAR\r\n`;
}

export async function startHostileDav(calendars: Record<string, Behaviour>): Promise<HostileDav> {
  const requests: HostileDav['requests'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let open = 0;

  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => { timers.delete(t); f(); }, ms);
    timers.add(t);
  };
  const send = (res: http.ServerResponse, status: number, body: string, b: Behaviour | null, type = 'application/xml; charset=utf-8') => {
    if (b?.kind === 'slow-start') return later(b.delayMs, () => send(res, status, body, null, type));
    if (b?.kind !== 'drip' && b?.kind !== 'stream') {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    res.writeHead(status, { 'content-type': type });
    const bytes = Buffer.from(body);
    const chunk = b.kind === 'drip' ? 1 : b.chunkBytes;
    let at = 0;
    const tick = () => {
      if (res.destroyed || at >= bytes.length) {
        res.end();
        return;
      }
      res.write(bytes.subarray(at, at + chunk));
      at += chunk;
      later(b.intervalMs, tick);
    };
    tick();
  };

  const server = http.createServer((req, res) => {
    open += 1;
    res.on('close', () => (open -= 1));
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const m = /^\/home\/([^/]+)\/(.*)$/.exec(path);
      const name = m?.[1] ?? '';
      const b = calendars[name] ?? null;
      const kind = body.includes('sync-collection') ? 'sync-collection' : body.includes('calendar-multiget') ? 'multiget' : body.includes('getctag') ? 'ctag' : '';
      requests.push({ method: req.method ?? '', path, kind });

      if (req.method === 'PROPFIND' && path === '/home/') {
        if (req.headers['depth'] === '0') return send(res, 207, ms(`<D:response><D:href>/home/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`), null);
        const cals = Object.keys(calendars).map((n) =>
          `<D:response><D:href>/home/${n}/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>${n}</D:displayname></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`).join('');
        return send(res, 207, ms(cals), null);
      }
      if (!b) return send(res, 404, 'not found', null, 'text/plain');
      const count = b.count;
      const itemPath = (i: number) => `/home/${name}/item-${i}.ics`;

      if (req.method === 'PROPFIND' && m?.[2] === '') {
        return send(res, 207, ms(`<D:response><D:href>/home/${name}/</D:href><D:propstat><D:prop><D:sync-token>t1</D:sync-token></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`), b);
      }
      if (req.method === 'REPORT' && kind === 'sync-collection') {
        const token = /<D:sync-token>([^<]*)</.exec(body)?.[1] ?? '';
        if (b.kind === 'raw-listing') return send(res, 207, b.body, b);
        if (token === 't1') return send(res, 207, ms('<D:sync-token>t1</D:sync-token>'), b);
        if (token !== '') return send(res, 403, '<D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>', b);
        const parts: string[] = [];
        for (let i = 0; i < count; i++) parts.push(`<D:response><D:href>${itemPath(i)}</D:href><D:propstat><D:prop><D:getetag>"e${i}"</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`);
        return send(res, 207, ms(`${parts.join('')}<D:sync-token>t1</D:sync-token>`), b);
      }
      if (req.method === 'REPORT' && kind === 'multiget') {
        const hrefs = [...body.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((x) => x[1]!);
        const out = hrefs.map((h) => {
          const i = Number(/item-(\d+)\.ics$/.exec(h)?.[1] ?? -1);
          if (i < 0 || i >= count) return `<D:response><D:href>${h}</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`;
          const data = b.kind === 'omit-data' ? '' : `<C:calendar-data>${esc(ics(name, i, b))}</C:calendar-data>`;
          return `<D:response><D:href>${h}</D:href><D:propstat><D:prop><D:getetag>"e${i}"</D:getetag>${data}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`;
        });
        return send(res, 207, ms(out.join('')), b);
      }
      if (req.method === 'GET') {
        const i = Number(/item-(\d+)\.ics$/.exec(path)?.[1] ?? -1);
        if (i < 0 || i >= count) return send(res, 404, 'not found', null, 'text/plain');
        res.setHeader('etag', `"e${i}"`);
        return send(res, 200, ics(name, i, b), b, 'text/calendar');
      }
      return send(res, 405, 'not allowed', null, 'text/plain');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    homeUrl: `${url}/home/`,
    calendarUrl: (n) => `${url}/home/${n}/`,
    requests,
    open: () => open,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
