/**
 * A Google connector pointed at a fresh in-process emulator: the conformance harness, plus the
 * pieces the scenario and fault tests need (control API, calendar ref, credentials).
 */
import { startGoogleEmulator, type GoogleEmulatorControl } from '../../emulators/google/index.ts';
import { parseEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import type { AccessCredentials, ConnectorContext, ConnectorWithPush, RemoteCalendarRef } from '../connector.ts';
import type { ConformanceHarness } from '../conformance/harness.ts';
import { GrantRevokedError } from '../errors.ts';
import { createGoogleConnector } from './google.connector.ts';
import { toGoogleEvent } from './map-canonical-event.ts';
import { createGoogleOAuthCredentials } from './oauth-token.ts';

export interface GoogleTestSetup extends ConformanceHarness {
  connector: ConnectorWithPush;
  control: GoogleEmulatorControl;
  url: string;
  email: string;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export async function makeGoogleHarness(opts: { pageSize?: number; emptyPageEvery?: number; timeZone?: string } = {}): Promise<GoogleTestSetup> {
  const emu = await startGoogleEmulator({ allowHttpPush: true });
  const control = emu.control;
  const email = 'conformance@example.com';
  control.createUser({ email, timeZone: 'UTC' });
  const timeZone = opts.timeZone ?? 'UTC';
  const { id } = control.createCalendar({ ownerEmail: email, summary: 'calhub conformance', timeZone });
  const pageSize = opts.pageSize ?? 5;
  control.setPaging({ maxPageSize: pageSize, emptyPageEvery: opts.emptyPageEvery ?? 3 });

  const connect = () => {
    const g = control.issueGrant({ email });
    return { grantId: g.grantId, creds: createGoogleOAuthCredentials({ refreshToken: g.refreshToken, accessToken: g.accessToken, clientId: 'emulator-client', tokenUrl: `${emu.url}/token` }) };
  };
  let current = connect();
  // After an injected revocation, the user "reconnects" once the hub has seen GrantRevokedError.
  let reconnectAfterRevoke = false;
  const credentials: AccessCredentials = {
    kind: 'oauth',
    async getAccessToken(force) {
      try {
        return await current.creds.getAccessToken(force);
      } catch (e) {
        if (e instanceof GrantRevokedError && reconnectAfterRevoke) {
          reconnectAfterRevoke = false;
          current = connect();
        }
        throw e;
      }
    },
  };
  const ctx: ConnectorContext = { credentials, signal: new AbortController().signal, log: silent, now: () => new Date() };
  const calendar: RemoteCalendarRef = { providerCalendarId: id, timeZone };
  const connector = createGoogleConnector({ baseUrl: emu.url });

  return {
    connector,
    ctx,
    calendar,
    pageSize,
    control,
    url: emu.url,
    email,
    remote: {
      async createEvent(input: CanonicalEventInput) {
        const ev = parseEvent(input);
        return control.insertEvent(id, { ...toGoogleEvent(ev, calendar), iCalUID: ev.uid }).id;
      },
      async updateTitle(remoteId, title) {
        control.patchEvent(id, remoteId, { summary: title });
      },
      async deleteEvent(remoteId) {
        control.deleteEvent(id, remoteId);
      },
      async invalidateCursors() {
        control.expireSyncTokens(id);
      },
      async failNext(kind) {
        if (kind === 'rate-limited') control.injectFault({ status: 429, retryAfter: 5 });
        else if (kind === 'server-error') control.injectFault({ status: 503 });
        else {
          control.revokeGrants({ grantId: current.grantId });
          reconnectAfterRevoke = true;
        }
      },
      emitsEmptyPages: (opts.emptyPageEvery ?? 3) > 0,
    },
    cleanup: () => emu.close(),
  };
}
