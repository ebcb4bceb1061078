/** The alert rules' own tests (alerts.test.yml), run by promtool: an expression can be valid and still count the wrong runs. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

it('promtool passes the alert rule tests', () => {
  const file = fileURLToPath(new URL('alerts.test.yml', import.meta.url));
  const r = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
  assert.notEqual(r.error?.message.includes('ENOENT'), true, "promtool is missing: install Debian's prometheus package (scripts/ensure-services.mjs does)");
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /SUCCESS/);
});
