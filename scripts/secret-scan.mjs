// The test log's secret scan: every line `npm test` prints passes through here, and any line that
// carries an OAuth token, an authorization code, a calhub API key or an encryption key fails the
// run. The shapes are the emulators' own (Google's `ya29.`/`1//`/`4/`, Microsoft's `EwB`/`M.C5`/
// `0.AX`, as the real providers issue them) and calhub's; a leak in a log line would carry one.
const SHAPES = [
  ['Google access token', /ya29\.[A-Za-z0-9_-]{20,}/],
  ['Google refresh token', /1\/\/[A-Za-z0-9_-]{20,}/],
  ['Google authorization code', /\b4\/[A-Za-z0-9_-]{20,}/],
  ['Microsoft access token', /\bEwB[A-Za-z0-9_-]{40,}/],
  ['Microsoft refresh token', /\bM\.C5[A-Za-z0-9_-]{40,}/],
  ['Microsoft authorization code', /\b0\.AX[A-Za-z0-9_-]{40,}/],
  ['calhub API key', /\bchk_[A-Za-z0-9_-]{40,}/],
  ['encryption key', /\bk\d+:[A-Za-z0-9+/]{43}=/],
  ['webhook signing secret', /\bwhsec_[A-Za-z0-9+/]{32}/],
];

export class SecretScan {
  lines = 0;
  /** @type {{ what: string, line: string }[]} */
  found = [];

  scan(line) {
    this.lines += 1;
    for (const [what, re] of SHAPES) {
      const m = re.exec(line);
      // Never echo the secret itself: its kind and where it starts are enough to find the test.
      if (m) this.found.push({ what, line: `${line.slice(0, Math.max(0, m.index)).slice(-80)}[${what} redacted]` });
    }
  }

  report() {
    if (this.found.length === 0) return `secret scan: ${this.lines} lines of test output, 0 tokens, codes, API keys or keys found`;
    return [`secret scan: ${this.found.length} secret(s) in ${this.lines} lines of test output:`, ...this.found.slice(0, 20).map((f) => `  ${f.line}`)].join('\n');
  }
}
