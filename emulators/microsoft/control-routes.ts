/** HTTP form of the control API: `POST /_emulator/<action>` with the action's JSON argument. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MicrosoftEmulatorControl } from './control.ts';
import { GraphHttpError, readJson, sendJson } from './http.ts';
import type { EmulatorState } from './state.ts';

const ACTIONS = new Set([
  'createUser', 'createCalendar', 'deleteCalendar', 'pickCalendarColor', 'registerApp', 'issueToken', 'createEvent', 'updateEvent', 'deleteEvent', 'moveEvent',
  'getEvent', 'calendarView', 'injectFault', 'setLatency', 'setLimits', 'clearFaults', 'invalidateDeltaTokens', 'emptyPages',
  'replayNext', 'revokeGrants', 'failNextRefresh', 'expireAccessTokens', 'setNotificationSettings', 'sendLifecycle',
  'subscriptions', 'droppedNotifications', 'setSwitches', 'settle', 'requests', 'requestCounts', 'clearRequests',
  'meetingMessages', 'clearMeetingMessages',
]);

export async function handleControl(s: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const action = url.pathname.slice('/_emulator/'.length);
  if (!ACTIONS.has(action)) return sendJson(res, 404, { error: `unknown control action ${action}` });
  const control = new MicrosoftEmulatorControl(s);
  const arg = req.method === 'GET' ? {} : await readJson(req);
  try {
    const fn = (control as unknown as Record<string, (a: unknown) => unknown>)[action]!;
    const result = await fn.call(control, arg);
    sendJson(res, 200, { result: result ?? null });
  } catch (e) {
    if (e instanceof GraphHttpError) return sendJson(res, e.status, { error: e.message, code: e.code });
    sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
  }
}
