/**
 * Standalone entry: `node --import tsx emulators/microsoft/serve.ts [--port 8080] [--host 127.0.0.1] [--demo] [--allow-http-push]`.
 * `--allow-http-push` accepts http:// notification URLs (Graph requires https).
 * `--demo` seeds one user; get a token for it with `POST /_emulator/issueToken {"userId": …}`.
 */
import { parseArgs } from 'node:util';
import { startMicrosoftEmulator } from './index.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, demo: { type: 'boolean' }, 'allow-http-push': { type: 'boolean' } } });
const emu = await startMicrosoftEmulator({ port: Number(values.port ?? 0), host: values.host ?? '127.0.0.1', switches: { allowHttpPush: values['allow-http-push'] ?? false } });
process.stdout.write(`Microsoft Graph emulator on ${emu.url} (Graph: ${emu.url}/v1.0, identity: ${emu.url}/common/oauth2/v2.0)\n`);
if (values.demo) {
  const user = emu.control.createUser({ email: 'demo@contoso.test', displayName: 'Demo User', timeZone: 'Europe/Berlin' });
  process.stdout.write(`demo user ${user.email} (id ${user.id})\n`);
}
const stop = () => void emu.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
