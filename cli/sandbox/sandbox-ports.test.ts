/**
 * The sandbox's emulator ports: chosen with CALHUB_SANDBOX_GOOGLE_PORT / _MICROSOFT_PORT, and a port
 * that cannot be had is refused naming the variable and the port, with nothing left listening.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../shared/config/index.ts';
import { BIN, ROOT, withSecretsDir } from '../../test/support/cli.ts';
import { startSandboxProviders } from './sandbox.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-sandbox-ports-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A port held open by this test (closed by the caller), so it is taken for sure. */
async function taken(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
async function freePort(): Promise<number> {
  const t = await taken();
  await t.close();
  return t.port;
}
const answers = async (port: number) => {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    return true;
  } catch {
    return false;
  }
};

test('the variables are read as ports: 0 (any free port) by default, a bad value refused by name', () => {
  assert.deepEqual(loadConfig({}).sandboxPorts, { google: 0, microsoft: 0 });
  assert.deepEqual(loadConfig({ CALHUB_SANDBOX_GOOGLE_PORT: '4010', CALHUB_SANDBOX_MICROSOFT_PORT: '4011' }).sandboxPorts, { google: 4010, microsoft: 4011 });
  assert.throws(() => loadConfig({ CALHUB_SANDBOX_MICROSOFT_PORT: 'eighty' }), /CALHUB_SANDBOX_MICROSOFT_PORT/);
});

test('the emulators listen on the chosen ports, and the hub is pointed at them', async () => {
  const ports = { google: await freePort(), microsoft: await freePort() };
  const p = await startSandboxProviders({ host: '127.0.0.1', port: 3999, dataDir, ports });
  try {
    assert.equal(p.emulators.google, `http://127.0.0.1:${ports.google}`);
    assert.equal(p.emulators.microsoft, `http://127.0.0.1:${ports.microsoft}`);
    assert.equal(p.env.GOOGLE_API_BASE_URL, p.emulators.google);
    assert.equal(p.env.MICROSOFT_GRAPH_BASE_URL, p.emulators.microsoft);
  } finally {
    await p.close();
  }
});

test('a port in use is refused naming the variable and the port; nothing is left listening', async () => {
  const busy = await taken();
  const googlePort = await freePort();
  try {
    await assert.rejects(startSandboxProviders({ host: '127.0.0.1', port: 3999, dataDir, ports: { google: busy.port, microsoft: 0 } }), new RegExp(`CALHUB_SANDBOX_GOOGLE_PORT: expected a port free on 127\\.0\\.0\\.1 .*\\(${busy.port}: in use\\)`));
    await assert.rejects(startSandboxProviders({ host: '127.0.0.1', port: 3999, dataDir, ports: { google: googlePort, microsoft: busy.port } }), new RegExp(`CALHUB_SANDBOX_MICROSOFT_PORT: .*\\(${busy.port}: in use\\)`));
    assert.equal(await answers(googlePort), false, 'the Google emulator started first was closed again');
    await assert.rejects(startSandboxProviders({ host: '127.0.0.1', port: 3999, dataDir, ports: { google: 3999, microsoft: 0 } }), /CALHUB_SANDBOX_GOOGLE_PORT: expected a port other than the hub's own \(3999/);
    await assert.rejects(startSandboxProviders({ host: '127.0.0.1', port: 3999, dataDir, ports: { google: googlePort, microsoft: googlePort } }), /CALHUB_SANDBOX_MICROSOFT_PORT: expected a port other than CALHUB_SANDBOX_GOOGLE_PORT's/);

    // As a user meets it: `calhub start --sandbox` says so and exits, before the hub or Redis starts.
    const env = { ...process.env, CALHUB_DATA_DIR: dataDir, CALHUB_SANDBOX_GOOGLE_PORT: String(busy.port), PORT: String(await freePort()) };
    const run = spawnSync(process.execPath, [BIN, 'start', '--sandbox'], { cwd: ROOT, env: withSecretsDir(env), encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, new RegExp(`CALHUB_SANDBOX_GOOGLE_PORT: expected a port free on 127\\.0\\.0\\.1 .*\\(${busy.port}: in use\\)`), run.stderr);
  } finally {
    await busy.close();
  }
});
