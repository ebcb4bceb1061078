/**
 * The hosted connect page's HTML: plain server-rendered forms, no script, no build step, no
 * third-party assets. Every value written into a page passes through `esc`. Labels are tied to
 * their inputs, errors are announced (role=alert) and the page works with a keyboard alone.
 */

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CaldavPreset {
  id: 'icloud' | 'fastmail' | 'nextcloud' | 'caldav';
  name: string;
  /** Fixed server URL; null: the user types it. */
  serverUrl: string | null;
  /** Where to get an app password: providers refuse (or should not get) the account password. */
  hint: string;
}

export const CALDAV_PRESETS: CaldavPreset[] = [
  { id: 'icloud', name: 'iCloud', serverUrl: 'https://caldav.icloud.com/', hint: 'Use an app-specific password: sign in at appleid.apple.com, open Sign-In and Security, then App-Specific Passwords. Your Apple Account password will not work.' },
  { id: 'fastmail', name: 'Fastmail', serverUrl: 'https://caldav.fastmail.com/dav/', hint: 'Use an app password: in Fastmail open Settings, Privacy & Security, Manage app passwords, and create one with CalDAV access.' },
  { id: 'nextcloud', name: 'Nextcloud', serverUrl: null, hint: 'Server address: your Nextcloud address followed by /remote.php/dav. Use an app password from Settings, Security, Devices & sessions.' },
  { id: 'caldav', name: 'Another CalDAV server', serverUrl: null, hint: 'Server address: the CalDAV address your provider documents (the server itself is often enough; calhub looks up /.well-known/caldav). Prefer an app password if your provider offers one.' },
];

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}ul{list-style:none;padding:0}li{margin:.5rem 0}
button,.choice{display:block;width:100%;padding:.75rem;font-size:1rem;text-align:left;border:1px solid #555;border-radius:.4rem;background:#fff;color:#1a1a1a;text-decoration:none;cursor:pointer}
button:focus,.choice:focus,input:focus{outline:3px solid #1a56db;outline-offset:2px}
label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
.hint{color:#444;font-size:.95rem}.error{border:2px solid #b00020;padding:.75rem;color:#b00020}
.submit{margin-top:1.5rem;text-align:center;background:#1a56db;color:#fff;border-color:#1a56db}`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>`;
}

export function chooserPage(session: string, oauth: Array<{ id: 'google' | 'microsoft'; name: string }>): string {
  const oauthItems = oauth
    .map((p) => `<li><form method="post" action="/connect/oauth/${p.id}"><input type="hidden" name="session" value="${esc(session)}"><button type="submit">${esc(p.name)}</button></form></li>`)
    .join('\n');
  const davItems = CALDAV_PRESETS.map((p) => `<li><a class="choice" href="/connect/caldav?session=${encodeURIComponent(session)}&amp;preset=${p.id}">${esc(p.name)}</a></li>`).join('\n');
  return page('Connect your calendar', `<h1>Connect your calendar</h1>
<p>Choose where your calendar lives.</p>
<ul aria-label="Calendar providers">
${oauthItems}
${davItems}
</ul>`);
}

export function caldavFormPage(session: string, preset: CaldavPreset, o: { error?: string; url?: string; username?: string } = {}): string {
  const urlField = preset.serverUrl
    ? `<input type="hidden" name="url" value="${esc(preset.serverUrl)}">`
    : `<label for="url">Server address</label>
<input id="url" name="url" type="url" required autocomplete="url" inputmode="url" value="${esc(o.url ?? '')}" aria-describedby="hint">`;
  return page(`Connect ${preset.name}`, `<h1>Connect ${esc(preset.name)}</h1>
${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<p class="hint" id="hint">${esc(preset.hint)}</p>
<form method="post" action="/connect/caldav">
<input type="hidden" name="session" value="${esc(session)}">
<input type="hidden" name="preset" value="${preset.id}">
${urlField}
<label for="username">User name</label>
<input id="username" name="username" required autocomplete="username" value="${esc(o.username ?? '')}">
<label for="password">App password</label>
<input id="password" name="password" type="password" required autocomplete="current-password" aria-describedby="hint">
<button class="submit" type="submit">Connect</button>
</form>
<p><a href="/connect?session=${encodeURIComponent(session)}">Choose another provider</a></p>`);
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p role="alert">${esc(message)}</p>`);
}
