/**
 * A person at an emulator's consent page, without a browser: load the page the authorize URL
 * shows, fill its form as a person would (pick the account, untick scopes, Allow or Cancel) and
 * submit it. Returns where the provider sends the browser next (the `redirect_uri` with code or
 * error). The sandbox connects its demo users with it; tests use it for the same reason.
 * Works only with the emulators' pages (emulators/google, emulators/microsoft).
 */
const unesc = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

export interface ConsentChoice {
  /** Google: the account's email; Microsoft: the user id. */
  account: string;
  decision: 'allow' | 'deny';
  /** Google: scopes to untick. */
  untick?: string[];
}

export async function consent(authorizeUrl: string, choice: ConsentChoice): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, unesc(m[2]!));
  for (const m of html.matchAll(/<input type="checkbox" name="([^"]+)" value="([^"]*)" checked>/g)) {
    if (!choice.untick?.includes(unesc(m[2]!))) form.append(m[1]!, unesc(m[2]!));
  }
  const google = html.includes('name="decision"');
  if (google) {
    form.set('account', choice.account);
    form.set('decision', choice.decision);
  } else {
    form.set('user', choice.account);
    form.set('consent', choice.decision);
  }
  const action = /<form method="post"(?: action="([^"]*)")?>/.exec(html)?.[1];
  const target = new URL(action ? unesc(action) : authorizeUrl, authorizeUrl);
  if (!action) target.search = '';
  const res = await fetch(target, { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent form answered ${res.status}`);
  return new URL(location);
}

/** Consent, then follow the redirects (calhub's callback, then the flow's redirect URI) to the end. */
export async function consentAndReturn(authorizeUrl: string, choice: ConsentChoice): Promise<URL> {
  let at = await consent(authorizeUrl, choice);
  for (let hop = 0; hop < 5; hop++) {
    const r = await fetch(at, { redirect: 'manual' });
    await r.arrayBuffer();
    const next = r.headers.get('location');
    if (!next) {
      if (r.status !== 200) throw new Error(`${at.pathname} answered ${r.status}`);
      return at;
    }
    at = new URL(next, at);
  }
  throw new Error('too many redirects');
}
