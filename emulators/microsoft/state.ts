/** Everything one emulator instance holds; shared by the HTTP routes and the control API. */
import { EventStore } from './store.ts';
import { Subscriptions } from './subscriptions.ts';
import { IdentityPlatform } from './oauth.ts';
import type { DeltaFaults } from './delta.ts';
import type { Mailbox } from './model.ts';
import type { MeetingMessage } from './meeting-messages.ts';
import { DOCUMENTED_SWITCHES, type GraphSwitches } from './switches.ts';

export interface Fault {
  status: number;
  code?: string;
  message?: string;
  /** Retry-After seconds; omitted header when undefined. */
  retryAfter?: number;
  /** Only requests whose path starts with this fail; matched after /v1.0, which the prefix may carry or not. */
  pathPrefix?: string;
  /** Only requests with this method fail. */
  method?: string;
  /** Carry the request out, then cut the connection before answering: a timeout after a write. */
  dropResponse?: boolean;
  /**
   * `token`: the identity platform's token endpoint instead of Graph (`/{tenant}/oauth2/v2.0/token`).
   * There a status under 400 with `delayMs` answers normally, late: a client deadline's test.
   */
  endpoint?: 'graph' | 'token';
  /**
   * Wait this long before failing (or, under 400, answering normally). Graph and token endpoint.
   * A Graph fault under 400 without dropResponse/emptyBody is the normal answer, late.
   */
  delayMs?: number;
  /** Graph, status under 400: carry the request out and answer the fault's status with no body. */
  emptyBody?: boolean;
  count: number;
}

/** `/v1.0/me/calendars` and `/me/calendars` name the same requests: a prefix with the version never fired before. */
const withoutVersion = (prefix: string): string => (prefix === '/v1.0' || prefix.startsWith('/v1.0/') ? prefix.slice('/v1.0'.length) : prefix);

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  prefer: string | null;
  ifMatch: string | null;
  status: number;
  at: string;
  /** A request inside a `$batch` (the batch itself is logged and counted once). */
  inBatch?: boolean;
}

export class EmulatorState {
  readonly mailboxes = new Map<string, Mailbox>();
  readonly store = new EventStore();
  readonly idp = new IdentityPlatform();
  readonly switches: GraphSwitches = { ...DOCUMENTED_SWITCHES };
  /** Added to the wall clock for subscription lifetimes (tests and benches jump days ahead). */
  clockOffsetMs = 0;
  readonly subs = new Subscriptions(this.switches, () => Date.now() + this.clockOffsetMs);
  readonly deltaFaults: DeltaFaults = { emptyPages: 0, emptyEvery: 0, replays: 0, invalidated: new Map() };
  faults: Fault[] = [];
  latencyMs = 0;
  /** Outlook: 4 concurrent requests and 10,000 requests per 10 minutes per app + mailbox. */
  concurrencyLimit = 4;
  requestLimit = 10_000;
  readonly window = new Map<string, { startMs: number; count: number }>();
  /** The last 2,000 requests; `counts` keeps counting past that. */
  readonly log: LoggedRequest[] = [];
  readonly counts = { requests: 0, writes: 0 };
  /** What Exchange would have sent the attendees (meeting-messages.ts). */
  readonly meetingMessages: MeetingMessage[] = [];
  baseUrl = '';

  constructor() {
    this.store.onChange((mb, calendarId, ids, change) => {
      const ev = mb.events.get(ids.key);
      this.subs.notify(mb, calendarId, ids, change, `W/"${ev?.changeKey ?? ''}"`);
    });
  }

  mailboxByAny(idOrEmail: string): Mailbox | undefined {
    return this.mailboxes.get(idOrEmail) ?? [...this.mailboxes.values()].find((m) => m.email.toLowerCase() === idOrEmail.toLowerCase());
  }

  takeFault(method: string, path: string, endpoint: 'graph' | 'token' = 'graph'): Fault | null {
    const i = this.faults.findIndex((f) => (f.endpoint ?? 'graph') === endpoint && (!f.pathPrefix || path.startsWith(withoutVersion(f.pathPrefix))) && (!f.method || f.method === method));
    if (i < 0) return null;
    const f = this.faults[i]!;
    f.count -= 1;
    if (f.count <= 0) this.faults.splice(i, 1);
    return f;
  }

  record(r: LoggedRequest): void {
    if (!r.inBatch) {
      this.counts.requests += 1;
      if (r.method !== 'GET') this.counts.writes += 1;
    }
    this.log.push(r);
    if (this.log.length > 2000) this.log.splice(0, this.log.length - 2000);
  }
}
