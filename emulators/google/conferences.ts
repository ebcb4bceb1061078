/**
 * Conferences created by a write (A.4 conferenceData): with conferenceDataVersion=1, a
 * `createRequest {requestId, conferenceSolutionKey {type}}` asks Google to make a conference of a
 * type the calendar allows (calendarList `conferenceProperties.allowedConferenceSolutionTypes`;
 * another is 400 "Invalid conference type value."). The same requestId as the event's last one is
 * ignored ("If an ID provided is the same as for the previous request, the request is ignored").
 * A Meet is made at once here (status `success`, a video entry point, `hangoutLink`); Google may
 * also answer `pending` and fill it in later, which is not modelled.
 */
import { randomBytes } from 'node:crypto';
import { badRequest } from './errors.ts';
import type { CalendarState, GEvent } from './types.ts';

interface CreateRequest { requestId?: string; conferenceSolutionKey?: { type?: string }; status?: { statusCode?: string } }
interface ConferenceData { createRequest?: CreateRequest; [k: string]: unknown }

export const allowedConferenceTypes = (cal: CalendarState): string[] => cal.allowedConferenceSolutionTypes ?? ['hangoutsMeet'];

const letters = (n: number) => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

export function createConference(cal: CalendarState, ev: GEvent, before: GEvent | null): void {
  const cd = ev.conferenceData as ConferenceData | undefined;
  const ask = cd?.createRequest;
  if (!ask || ask.status) return;
  const previous = (before?.conferenceData as ConferenceData | undefined);
  if (previous && typeof ask.requestId === 'string' && previous.createRequest?.requestId === ask.requestId) {
    ev.conferenceData = previous;
    return;
  }
  if (typeof ask.requestId !== 'string' || ask.requestId === '') throw badRequest('Invalid conference create request: requestId is required.', 'conferenceData.createRequest.requestId');
  const type = ask.conferenceSolutionKey?.type ?? '';
  if (!allowedConferenceTypes(cal).includes(type)) throw badRequest('Invalid conference type value.', 'conferenceData.createRequest.conferenceSolutionKey.type');
  const code = `${letters(3)}-${letters(4)}-${letters(3)}`;
  ev.conferenceData = {
    createRequest: { requestId: ask.requestId, conferenceSolutionKey: { type }, status: { statusCode: 'success' } },
    entryPoints: [{ entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` }],
    conferenceSolution: { key: { type }, name: 'Google Meet', iconUri: 'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png' },
    conferenceId: code,
  };
}
