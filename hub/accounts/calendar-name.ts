/**
 * The one check of a calendar name asked for (create and rename, through the API and the CLI),
 * before anything is sent to the provider. Control characters other than tab, line feed and
 * carriage return cannot be written in XML 1.0: a CalDAV server refused the MKCALENDAR or
 * PROPPATCH with 400, and Xandikos kept an orphan collection for each retry. 255 characters is the
 * API schema's limit.
 */
import { HubError } from '../../shared/errors.ts';
import { stringProblem } from '../../shared/model/index.ts';

export const MAX_CALENDAR_NAME = 255;

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** The name trimmed, or a 400 naming what is wrong with it. */
export function checkCalendarName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new HubError('VALIDATION_FAILED', 'never', 'invalid calendar: name: must not be empty');
  const problem = stringProblem(trimmed);
  if (problem) throw new HubError('INVALID_TEXT', 'never', `invalid calendar: name ${problem}; send well-formed text without NUL characters`);
  const bad = NOT_XML.exec(trimmed);
  if (bad) {
    const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new HubError('INVALID_TEXT', 'never', `invalid calendar: name contains the control character ${code}, which calendars cannot hold; only tab, line feed and carriage return are allowed`);
  }
  const length = [...trimmed].length;
  if (length > MAX_CALENDAR_NAME) throw new HubError('VALIDATION_FAILED', 'never', `invalid calendar: name: must be at most ${MAX_CALENDAR_NAME} characters (it has ${length})`);
  return trimmed;
}
