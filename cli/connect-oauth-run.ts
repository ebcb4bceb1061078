/**
 * `calhub accounts connect google|microsoft` next to a running `calhub start` of the same data
 * dir. The flow needs the hub's settings, not this process's: its OAuth app (next to
 * `calhub start --sandbox`, the emulators' app, which only the hub has: the command failed
 * PROVIDER_NOT_CONFIGURED) and its callback address, which the hub serves. So the hub makes the
 * authorize URL (cli/operations.ts, `accounts connect oauth`), its own callback completes the flow
 * and sends the browser to this process's loopback address, and the hub shows the account.
 */
import { HubError } from '../shared/errors.ts';
import type { AccessLevel } from '../shared/store/index.ts';
import { waitForBrowser } from './connect-wait.ts';
import { write } from './hosted.ts';
import { declinedFor, onRunningHub } from './operations-client.ts';
import { EXIT } from './exit-codes.ts';
import { print } from './output.ts';

export interface OAuthConnectRequest {
  tenantId: string;
  provider: 'google' | 'microsoft';
  access: AccessLevel;
  loginHint: string | null;
  accountId: string | null;
}

/** The exit code, or null when no hub runs here or it declines (the command then does the flow itself). */
export async function connectThroughHub(req: OAuthConnectRequest, timeoutS: number, json: boolean): Promise<number | null> {
  const browser = await waitForBrowser(timeoutS * 1000);
  try {
    const begun = await onRunningHub<{ url: string }>('accounts connect oauth', { ...req, redirectUri: browser.redirectUri }, undefined, declinedFor()).catch((e: unknown) => {
      // The hub's settings make the flow: this command's GOOGLE_CLIENT_ID… would not be used.
      if (e instanceof HubError && e.code === 'PROVIDER_NOT_CONFIGURED') throw new HubError(e.code, 'never', `the calhub running on this data dir does the flow with its settings, and ${e.message} (for that hub: restart it with them)`);
      throw e;
    });
    if (!begun) return null;
    // With --json stdout holds only the result, so the URL goes to stderr.
    write(json ? 'stderr' : 'stdout', `Open this address in a browser and sign in (waiting up to ${timeoutS} s):\n${begun.url}\n`);
    const back = await browser.result;
    const error = back.get('error');
    if (error) throw new HubError(error, 'never', `the connection did not complete: ${back.get('error_description') ?? error}`);
    const accountId = back.get('accountId')!;
    const args = [accountId, '--tenant', req.tenantId, ...(json ? ['--json'] : [])];
    const shown = await onRunningHub<{ exitCode: number }>('command', { name: 'accounts show', args }, (p: { stream: 'stdout' | 'stderr'; text: string }) => write(p.stream, p.text), () => null).catch(() => null);
    if (shown) return shown.exitCode;
    // Connected, but the hub went away before it showed the account: its id is what matters.
    print(json, { id: accountId, tenantId: req.tenantId }, () => `account ${accountId} connected (calhub accounts show ${accountId} for its calendars)`);
    return EXIT.OK;
  } finally {
    await browser.close();
  }
}
