/**
 * Runs the Google Calendar emulator standalone:
 *   node --import tsx emulators/google/main.ts [--port 8085] [--host 127.0.0.1] [--user ada@example.com] [--allow-http-push]
 * --allow-http-push accepts http:// watch addresses (Google requires https).
 * With --user, that user exists at start and a ready-to-use grant is printed (tokens are test data).
 */
import { parseArgs } from 'node:util';
import { startGoogleEmulator } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8085' },
    host: { type: 'string', default: '127.0.0.1' },
    user: { type: 'string', multiple: true, default: [] },
    'allow-http-push': { type: 'boolean', default: false },
  },
});

const emu = await startGoogleEmulator({ port: Number(values.port), host: values.host, allowHttpPush: values['allow-http-push'] });
console.log(`google calendar emulator listening on ${emu.url}`);
for (const email of values.user) {
  emu.control.createUser({ email });
  const g = emu.control.issueGrant({ email });
  console.log(JSON.stringify({ user: email, accessToken: g.accessToken, refreshToken: g.refreshToken }));
}
const stop = () => void emu.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
