/**
 * The hosted connect page's HTML: plain server-rendered forms, no build step, no third-party
 * assets, and one small inline script (allowed by its hash, PROGRESS_SCRIPT_HASH) that only shows
 * progress on the CalDAV form: every form works without it. Every value written into a page passes
 * through `esc`. Labels are tied to their inputs, errors are announced (role=alert) and the page
 * works with a keyboard alone. The pages name the product the user connects to (the session's
 * appName, else its tenant's name), never calhub: the operator's brand is their own.
 */
import { createHash } from 'node:crypto';

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CaldavPreset {
  id: 'icloud' | 'fastmail' | 'nextcloud' | 'caldav';
  name: string;
  /** The page heading. */
  heading: string;
  /** What the provider calls the user name and the password asked for. */
  userLabel: string;
  passwordLabel: string;
  /** Fixed server URL; null: the user types it. */
  serverUrl: string | null;
  /** Where to get an app password: providers refuse (or should not get) the account password. */
  hint: string;
  /** The user name and password as a sentence names them (errors). */
  inText: { user: string; password: string };
  /** Said after a refused login. */
  rejectedHint: string;
}

export const CALDAV_PRESETS: CaldavPreset[] = [
  { id: 'icloud', name: 'iCloud', heading: 'Connect iCloud', userLabel: 'Apple ID email', passwordLabel: 'App-specific password', serverUrl: 'https://caldav.icloud.com/', hint: 'Use an app-specific password: sign in at appleid.apple.com, open Sign-In and Security, then App-Specific Passwords. Your Apple Account password will not work.', inText: { user: 'Apple ID email', password: 'app-specific password' }, rejectedHint: 'Your usual Apple Account password will not work here.' },
  { id: 'fastmail', name: 'Fastmail', heading: 'Connect Fastmail', userLabel: 'Fastmail email', passwordLabel: 'App password', serverUrl: 'https://caldav.fastmail.com/dav/', hint: 'Use an app password: in Fastmail open Settings, Privacy & Security, Manage app passwords, and create one with CalDAV access.', inText: { user: 'Fastmail email', password: 'app password' }, rejectedHint: 'Your usual Fastmail password will not work here.' },
  { id: 'nextcloud', name: 'Nextcloud', heading: 'Connect Nextcloud', userLabel: 'User name', passwordLabel: 'App password', serverUrl: null, hint: 'Server address: your Nextcloud address followed by /remote.php/dav. Use an app password from Settings, Security, Devices & sessions.', inText: { user: 'user name', password: 'app password' }, rejectedHint: 'Nextcloud wants an app password here when two-factor sign-in is on.' },
  { id: 'caldav', name: 'Another CalDAV server', heading: 'Connect another CalDAV server', userLabel: 'User name', passwordLabel: 'App password', serverUrl: null, hint: 'Server address: the CalDAV address your provider documents (the server itself is often enough; its /.well-known/caldav address is looked up). Prefer an app password if your provider offers one.', inText: { user: 'user name', password: 'password' }, rejectedHint: 'Most providers want an app password here, not your usual password.' },
];

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}ul{list-style:none;padding:0}li{margin:.5rem 0}
*,*::before,*::after{box-sizing:border-box}
button,input{font:inherit}
button,.choice{display:block;width:100%;padding:.75rem;font-size:1rem;text-align:left;border:1px solid #555;border-radius:.4rem;background:#fff;color:#1a1a1a;text-decoration:none;cursor:pointer}
button:focus,.choice:focus,input:focus,a:focus{outline:3px solid #1a56db;outline-offset:2px}
p>a{display:inline-block;min-height:24px;padding:.25rem 0}
button:disabled{opacity:.7;cursor:progress}
label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
.hint{color:#444;font-size:.95rem}.error{border:2px solid #b00020;padding:.75rem;color:#b00020}
.error:focus{outline:3px solid #1a56db}.fixed{font-weight:400}
.field-error{color:#b00020;margin:.25rem 0;font-weight:600}input[aria-invalid=true]{border:2px solid #b00020}
.submit{margin-top:1.5rem;text-align:center;background:#1a56db;color:#fff;border-color:#1a56db}`;

/**
 * The CalDAV form's progress: on submit the button is disabled and says the server is being
 * checked (a slow server takes seconds). The form posts the same without it. Allowed by its hash
 * in the page's Content-Security-Policy, so no other script runs.
 */
export const PROGRESS_SCRIPT = `(function(){var f=document.getElementById('connect-form');if(!f)return;var b=f.querySelector('button[type=submit]'),s=document.getElementById('progress'),t=b.textContent;
f.addEventListener('submit',function(e){if(b.disabled){e.preventDefault();return}b.disabled=true;b.textContent='Checking the server\u2026';s.textContent='Checking the server\u2026 This can take a few seconds.'});
window.addEventListener('pageshow',function(e){if(e.persisted){b.disabled=false;b.textContent=t;s.textContent=''}})})();`;
export const PROGRESS_SCRIPT_HASH = `'sha256-${createHash('sha256').update(PROGRESS_SCRIPT).digest('base64')}'`;

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${head}
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>`;
}

/** Input limits: the same as POST /v1/accounts/caldav's. */
export const FIELD_LIMITS = { url: 2000, username: 320, password: 1000, email: 320 } as const;

/** Who the user connects to, when no session names it (a link that is no longer valid). */
export const SOME_APP = 'the app';

/** A way back to the application, when its address is known. */
const backLink = (back: string | null | undefined, text = `Cancel and go back to ${SOME_APP}`) => (back ? `<p><a href="${esc(back)}">${esc(text)}</a></p>` : '');
const cancelText = (app: string) => `Cancel and go back to ${app}`;

/** An error the page leads with: focused on load (autofocus) so a screen reader reads it first. */
const alertBox = (message: string) => `<p class="error" id="error-summary" role="alert" tabindex="-1" autofocus>${esc(message)}</p>`;

/** `app`: the product the user connects to (the session's appName, else its tenant's name). */
export function chooserPage(session: string, oauth: Array<{ id: 'google' | 'microsoft'; name: string }>, back: string | null, app: string): string {
  const oauthItems = oauth
    .map((p) => `<li><form method="post" action="/connect/oauth/${p.id}"><input type="hidden" name="session" value="${esc(session)}"><button type="submit">${esc(p.name)}</button></form></li>`)
    .join('\n');
  const davItems = CALDAV_PRESETS.map((p) => `<li><a class="choice" href="/connect/caldav?session=${encodeURIComponent(session)}&amp;preset=${p.id}">${esc(p.name)}</a></li>`).join('\n');
  const title = `Connect your calendar to ${app}`;
  return page(title, `<h1>${esc(title)}</h1>
<p>Choose where your calendar lives.</p>
<ul aria-label="Calendar providers">
${oauthItems}
${davItems}
</ul>
${backLink(back, cancelText(app))}`);
}

/** A reconnect session: one account, its own provider only. */
export function reconnectPage(session: string, account: { name: string; provider: 'google' | 'microsoft' | 'caldav' }, back: string | null, app: string): string {
  const providerName = { google: 'Google', microsoft: 'Microsoft 365 / Outlook', caldav: 'CalDAV' }[account.provider];
  const action = account.provider === 'caldav'
    ? `<a class="choice" href="/connect/caldav?session=${encodeURIComponent(session)}">Continue to ${esc(providerName)}</a>`
    : `<form method="post" action="/connect/oauth/${account.provider}"><input type="hidden" name="session" value="${esc(session)}"><button type="submit">Continue to ${esc(providerName)}</button></form>`;
  const title = `Reconnect your calendar to ${app}`;
  return page(title, `<h1>${esc(title)}</h1>
<p>Sign in again to <strong>${esc(account.name)}</strong> (${esc(providerName)}) so ${esc(app)} can keep your calendar up to date.</p>
${action}
${backLink(back, cancelText(app))}`);
}

export type FormField = 'url' | 'username' | 'password' | 'email';

export interface CaldavFormState {
  /** A refused connect: the summary, and the fields it is about with their own messages. */
  error?: { text: string; fields: Partial<Record<FormField, string>> };
  url?: string;
  username?: string;
  /** The address typed into the optional email field. */
  email?: string;
  /** A reconnect: the account's server and user, not editable. */
  fixed?: { url: string; username: string };
  /** Cancel: back to the app, saying so (error=CANCELLED). */
  back?: string | null;
  /** The product the user connects to. */
  app?: string;
}

export function caldavFormPage(session: string, preset: CaldavPreset, o: CaldavFormState = {}): string {
  const L = FIELD_LIMITS;
  const app = o.app ?? SOME_APP;
  const fieldError = (f: FormField) => o.error?.fields[f];
  // Each field names its own error first, then its hints; aria-invalid marks the ones the error is about.
  const aria = (f: FormField, ...hints: string[]) => {
    const ids = [...(fieldError(f) ? [`${f}-error`] : []), ...hints];
    return `${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}${fieldError(f) ? ' aria-invalid="true"' : ''}`;
  };
  const errorOf = (f: FormField) => (fieldError(f) ? `\n<p class="field-error" id="${f}-error">${esc(fieldError(f)!)}</p>` : '');
  // type=text, not url: a bare host ("caldav.fastmail.com") is what the hint invites, and the
  // browser's URL check would stop it; the server takes it as https://.
  const urlField = o.fixed
    ? `<p>Server: <span class="fixed">${esc(o.fixed.url)}</span></p>`
    : preset.serverUrl
      ? ''
      : `<label for="url">Server address</label>${errorOf('url')}
<input id="url" name="url" type="text" required maxlength="${L.url}" autocomplete="url" inputmode="url" autocapitalize="off" spellcheck="false" value="${esc(o.url ?? '')}"${aria('url', 'hint')}>`;
  const userField = o.fixed
    ? `<p>${esc(preset.userLabel)}: <span class="fixed">${esc(o.fixed.username)}</span></p>`
    : `<label for="username">${esc(preset.userLabel)}</label>${errorOf('username')}
<input id="username" name="username" required maxlength="${L.username}" autocomplete="username" value="${esc(o.username ?? '')}"${aria('username')}>`;
  const heading = o.fixed ? `Reconnect your calendar to ${app}` : `${preset.heading} to ${app}`;
  return page(heading, `<h1>${esc(heading)}</h1>
${o.error ? alertBox(o.error.text) : ''}
<p class="hint" id="hint">${esc(preset.hint)}</p>
<form method="post" action="/connect/caldav" id="connect-form">
<input type="hidden" name="session" value="${esc(session)}">
<input type="hidden" name="preset" value="${preset.id}">
${urlField}
${userField}
<label for="password">${esc(preset.passwordLabel)}</label>${errorOf('password')}
<input id="password" name="password" type="password" required maxlength="${L.password}" autocomplete="current-password"${aria('password', 'password-hint')}>
<p class="hint" id="password-hint">${esc(`You are giving this ${preset.inText.password} to ${app}, which uses it only to keep your calendar in sync. It is stored encrypted.`)}</p>
${emailField(o, app, errorOf('email'), aria('email', 'email-hint'))}
<button class="submit" type="submit">Connect</button>
<p class="hint" id="progress" role="status"></p>
</form>
${o.fixed ? '' : `<p><a href="/connect?session=${encodeURIComponent(session)}">Choose another provider</a></p>`}
${backLink(o.back, cancelText(app))}
<script>${PROGRESS_SCRIPT}</script>`);
}

/**
 * The user's email address, optional: meetings created on the account are organized as this
 * address when the server names none (Radicale and Xandikos do not). type=text, not email: the
 * browser's own check would stop the form without the page's error, and the server checks it anyway.
 */
function emailField(o: CaldavFormState, app: string, error: string, aria: string): string {
  const keep = o.fixed ? ' Leave it empty to keep the one already saved.' : ' Leave it empty if your user name is your email address.';
  return `<label for="email">Email address (optional)</label>${error}
<input id="email" name="email" maxlength="${FIELD_LIMITS.email}" autocomplete="email" inputmode="email" value="${esc(o.email ?? '')}"${aria}>
<p class="hint" id="email-hint">${esc(`Meetings you create through ${app} are sent from this address.${keep}`)}</p>`;
}

/**
 * The session's or flow's return address was taken off the tenant's allow-list after it began:
 * the same page wherever it shows (connect page, callback), with no link to that address.
 */
export function returnNotAllowedPage(): string {
  return errorPage(
    "The app's return address is no longer allowed",
    "The app that sent you here no longer allows the address it asked to bring you back to, so nothing was connected. Go back to the app and start again, or contact the app's support. (REDIRECT_URI_NOT_ALLOWED)",
    null,
    'REDIRECT_URI_NOT_ALLOWED',
  );
}

/**
 * `code`: the stable error code (docs/errors.md), shown on its own line so the user can quote it
 * to the app's support and tests and scripts find it in one place.
 */
export function errorPage(title: string, message: string, back: string | null = null, code: string | null = null, app = SOME_APP): string {
  const codeLine = code ? `<p class="hint" id="error-code">Error code: <code>${esc(code)}</code></p>` : '';
  return page(title, `<h1>${esc(title)}</h1>${alertBox(message)}${codeLine}${backLink(back, `Go back to ${app}`)}`);
}

/**
 * How often the "still being finished" page (STATE_IN_PROGRESS) loads itself again: a meta refresh
 * (the pages carry no script), so the person sees how the sign-in ended without reloading by hand.
 * The refresh opens the same callback address, which answers this page again while the first
 * callback holds its state and then ends — a redirect to the app, or a page without the refresh.
 */
export const IN_PROGRESS_REFRESH_SECONDS = 5;

export function inProgressPage(back: string | null): string {
  const title = 'This sign-in is still being finished';
  const message = `Your calendar is still being connected. This page checks again every ${IN_PROGRESS_REFRESH_SECONDS} seconds and shows how it ended.`;
  return page(title, `<h1>${esc(title)}</h1><p role="status">${esc(message)}</p><p class="hint" id="error-code">Error code: <code>STATE_IN_PROGRESS</code></p>${backLink(back, 'Go back to the app')}`, `<meta http-equiv="refresh" content="${IN_PROGRESS_REFRESH_SECONDS}">`);
}

/** A page that reports something finished (no alert: nothing went wrong). */
export function donePage(title: string, message: string, back: string | null = null): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>${backLink(back, 'Go back to the app')}`);
}
