import { startGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { summaryOf } from './summaries.ts';

async function serveUntilSignal(close: () => Promise<void>): Promise<number> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close();
  return EXIT.OK;
}

const port = (v: unknown): number => {
  const n = v === undefined ? 0 : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ValidationError('--port must be an integer from 0 to 65535');
  return n;
};

export const emulatorGoogle: Command = {
  name: 'emulator google',
  usage: 'calhub emulator google [--port <n>] [--host <addr>] [--allow-http-push]',
  summary: summaryOf('emulator google'),
  options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'allow-http-push': { type: 'boolean' } },
  async run({ values }) {
    // Push addresses must be https, as at Google, unless --allow-http-push (a local hub without TLS).
    const emu = await startGoogleEmulator({ port: port(values.port), host: (values.host as string | undefined) ?? '127.0.0.1', allowHttpPush: values['allow-http-push'] === true });
    process.stdout.write(`Google Calendar emulator listening on ${emu.url}\n`);
    return serveUntilSignal(() => emu.close());
  },
};

export const emulatorMicrosoft: Command = {
  name: 'emulator microsoft',
  usage: 'calhub emulator microsoft [--port <n>] [--host <addr>] [--allow-http-push]',
  summary: summaryOf('emulator microsoft'),
  options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'allow-http-push': { type: 'boolean' } },
  async run({ values }) {
    const emu = await startMicrosoftEmulator({ port: port(values.port), host: (values.host as string | undefined) ?? '127.0.0.1', switches: { allowHttpPush: values['allow-http-push'] === true } });
    process.stdout.write(`Microsoft Graph emulator listening on ${emu.url}\n`);
    return serveUntilSignal(() => emu.close());
  },
};
