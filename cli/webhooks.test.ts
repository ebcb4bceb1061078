/**
 * `calhub webhooks …` as a script reads it: the same endpoint view as the API (`events`, never
 * `eventTypes`; `*` shown as all events), health and messages owed in list and show, and a second
 * rotation inside the overlap refused with its code, exit 2 and when it is possible; the overlap
 * ended early with retire-previous-secret.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCaptured } from './run-captured.ts';

const dir = mkdtempSync(join(tmpdir(), 'calhub-webhooks-cli-'));
const saved = { ...process.env };

const run = runCaptured;

describe('calhub webhooks', () => {
  let tenant: string;
  before(async () => {
    Object.assign(process.env, { CALHUB_DATA_DIR: join(dir, 'data'), CALHUB_SECRETS_DIR: join(dir, 'secrets'), WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', DATABASE_URL: '', CALHUB_ENCRYPTION_KEYS: '' });
    const t = await run(['tenants', 'create', 'acme', '--json']);
    assert.equal(t.code, 0, t.stderr);
    tenant = (JSON.parse(t.stdout) as { id: string }).id;
  });
  after(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("create --events '*' prints what the endpoint receives, as the API does; list and show add its health and what it owes", async () => {
    const c = await run(['webhooks', 'create', '--tenant', tenant, '--url', 'http://127.0.0.1:9/h', '--events', '*', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const made = JSON.parse(c.stdout) as Record<string, unknown>;
    assert.deepEqual([made.events, made.allEvents, 'eventTypes' in made], [['*'], true, false]);
    assert.match(made.secret as string, /^whsec_/);
    const l = await run(['webhooks', 'list', '--tenant', tenant, '--json']);
    const [listed] = JSON.parse(l.stdout) as Array<Record<string, unknown>>;
    const { secret: _secret, ...shown } = made;
    assert.deepEqual(listed, shown, 'list shows what create showed, but the secret');
    assert.deepEqual(listed!.health, { state: 'healthy', failingSince: null, consecutiveFailures: 0, nextRetryAt: null, lastErrorAt: null, lastErrorStatus: null, lastError: null });
    const human = await run(['webhooks', 'list', '--tenant', tenant]);
    assert.match(human.stdout, /EVENTS +STATUS +HEALTH +NEXT RETRY +OWED +LAST ERROR/);
    assert.match(human.stdout, /all \(\*\) +active +healthy +0/);
    const s = await run(['webhooks', 'show', made.id as string, '--tenant', tenant]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /events +all \(\*\)/);
    assert.match(s.stdout, /owed messages +0/);
  });

  it('rotate-secret again inside the overlap: refused with WEBHOOK_ROTATION_IN_PROGRESS; --force rotates', async () => {
    const c = JSON.parse((await run(['webhooks', 'create', '--tenant', tenant, '--url', 'http://127.0.0.1:9/r', '--events', 'event.created', '--json'])).stdout) as { id: string };
    const one = await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant, '--json']);
    assert.equal(one.code, 0, one.stderr);
    const first = JSON.parse(one.stdout) as { previousSecretValidUntil: string };
    const again = await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant, '--json']);
    assert.equal(again.code, 2, 'refused before anything ran: exit 2, as the exit-code table says of refusals');
    assert.equal(again.stdout, '');
    const err = (JSON.parse(again.stderr) as { error: { code: string; message: string; exitCode: number } }).error;
    assert.deepEqual([err.code, err.exitCode], ['WEBHOOK_ROTATION_IN_PROGRESS', 2]);
    assert.ok(err.message.includes(`rotating again is possible at ${first.previousSecretValidUntil} (in 2`), err.message);
    assert.ok(!again.stderr.includes('whsec_'), 'no secret in the refusal');
    const human = await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant]);
    assert.equal(human.code, 2);
    assert.match(human.stderr, /rotating again is possible at \S+Z/);
    const forced = await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match((JSON.parse(forced.stdout) as { secret: string }).secret, /^whsec_/);
  });

  it('retire-previous-secret ends the overlap now, after which a rotation needs no --force', async () => {
    const c = JSON.parse((await run(['webhooks', 'create', '--tenant', tenant, '--url', 'http://127.0.0.1:9/x', '--events', 'event.created', '--json'])).stdout) as { id: string };
    const rotated = await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant, '--json']);
    const until = (JSON.parse(rotated.stdout) as { previousSecretValidUntil: string }).previousSecretValidUntil;
    const during = await run(['webhooks', 'show', c.id, '--tenant', tenant, '--json']);
    assert.equal((JSON.parse(during.stdout) as { previousSecretValidUntil: string | null }).previousSecretValidUntil, until);
    assert.ok((await run(['webhooks', 'show', c.id, '--tenant', tenant])).stdout.includes(`previous secret valid until  ${until}`));
    const r = await run(['webhooks', 'retire-previous-secret', c.id, '--tenant', tenant, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { id: c.id, retired: true, wouldHaveSignedUntil: until });
    const none = await run(['webhooks', 'retire-previous-secret', c.id, '--tenant', tenant]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /no previous secret .* was signing/);
    assert.equal((JSON.parse((await run(['webhooks', 'show', c.id, '--tenant', tenant, '--json'])).stdout) as { previousSecretValidUntil: string | null }).previousSecretValidUntil, null, 'retired: only the current secret signs');
    assert.equal((await run(['webhooks', 'rotate-secret', c.id, '--tenant', tenant, '--json'])).code, 0);
    assert.equal((await run(['webhooks', 'retire-previous-secret', 'whe_nope', '--tenant', tenant, '--json'])).code, 2);
  });
});
