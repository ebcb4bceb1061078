/**
 * What the hosted CalDAV form says for each way a connect can fail. The words depend on the form
 * the person sees: a preset with a fixed server (iCloud, Fastmail) or a reconnect shows no server
 * address, so its errors must not send the person looking for one, and each provider's own names
 * for the login ("Apple ID email", "app-specific password") are used.
 */
import { FIELD_LIMITS, type CaldavPreset, type FormField } from './connect-html.ts';

export const FORM_ERROR_CODES = [
  'CREDENTIALS_REJECTED', 'URL_NOT_ALLOWED', 'PROVIDER_UNAVAILABLE', 'DNS_UNAVAILABLE', 'PROVIDER_REFUSED', 'HOST_UNKNOWN',
  'NOT_HTTP', 'URL_CREDENTIALS', 'TOO_LONG', 'MISMATCH', 'EMAIL_INVALID', 'OTHER',
] as const;
export type FormErrorCode = (typeof FORM_ERROR_CODES)[number];
export const isFormErrorCode = (s: string): s is FormErrorCode => (FORM_ERROR_CODES as readonly string[]).includes(s);

/** The form as shown: which fields it has. */
export interface ShownForm {
  preset: CaldavPreset;
  /** A reconnect: server and user are shown as text, not fields. */
  fixed: boolean;
}

export interface FormError {
  /** The summary, announced at the top of the form. */
  text: string;
  /** The fields it is about, each with its own short message; only fields the form shows. */
  fields: Partial<Record<FormField, string>>;
}

export const showsUrl = (f: ShownForm): boolean => !f.fixed && !f.preset.serverUrl;

/**
 * `tooLong`: for TOO_LONG, the fields that were over their limit (any not shown are left out).
 */
export function formError(code: FormErrorCode, form: ShownForm, tooLong: FormField[] = []): FormError {
  const { preset } = form;
  const url = showsUrl(form);
  const user = !form.fixed;
  // Who answered: a preset's provider by name; otherwise the server the person typed or the account's.
  const service = preset.serverUrl && !form.fixed ? preset.name : 'The server';
  const { user: userWords, password: passwordWords } = preset.inText;
  const checkUser = `Check your ${userWords}.`;
  const checkPassword = `Check your ${passwordWords}.`;
  const checkUrl = 'Check the server address.';
  const only = (fields: FormError['fields']): FormError['fields'] => Object.fromEntries(Object.entries(fields).filter(([f]) => f !== 'url' || url).filter(([f]) => f !== 'username' || user));
  switch (code) {
    case 'CREDENTIALS_REJECTED':
      return {
        text: user
          ? `${service} did not accept that ${userWords} and ${passwordWords}. Check them and try again. ${preset.rejectedHint}`
          : `${service} did not accept that ${passwordWords}. Check it and try again. ${preset.rejectedHint}`,
        fields: only({ username: checkUser, password: checkPassword }),
      };
    case 'URL_NOT_ALLOWED':
      return url
        ? { text: 'That server address is not allowed. Use the address your calendar provider gives for CalDAV.', fields: { url: checkUrl } }
        : { text: `This app does not allow connecting to ${service === 'The server' ? 'this server' : service}. Contact the app's support.`, fields: {} };
    case 'PROVIDER_UNAVAILABLE':
      return url
        ? { text: 'That server could not be reached or did not answer properly. Check the server address, or try again later.', fields: { url: checkUrl } }
        : { text: `${service} could not be reached or did not answer properly. Please try again later.`, fields: {} };
    case 'DNS_UNAVAILABLE':
    case 'HOST_UNKNOWN':
      if (url) return code === 'HOST_UNKNOWN' ? { text: 'No server by that name was found. Check the spelling of the server address.', fields: { url: checkUrl } } : { text: 'That server could not be reached. Check the server address.', fields: { url: checkUrl } };
      return { text: `${service} could not be reached. Please try again later.`, fields: {} };
    case 'PROVIDER_REFUSED':
      return url
        ? { text: 'That address is not a CalDAV server. Check the server address.', fields: { url: checkUrl } }
        : { text: `${service} did not answer as a calendar server does. Please try again later.`, fields: {} };
    case 'NOT_HTTP':
      return url ? { text: 'Enter the server address as a web address starting with https://.', fields: { url: 'Start the server address with https://.' } } : { text: `${service === 'The server' ? 'This calendar server' : service} cannot be used from here. Contact the app's support.`, fields: {} };
    case 'URL_CREDENTIALS':
      return url
        ? { text: 'Leave your user name and password out of the server address; enter them in their own fields.', fields: { url: 'Leave your user name and password out of the server address.' } }
        : { text: `${service === 'The server' ? 'This calendar server' : service} cannot be used from here. Contact the app's support.`, fields: {} };
    case 'TOO_LONG':
      return {
        text: 'An entry is longer than any real one can be. Check what you entered.',
        fields: only(Object.fromEntries(tooLong.map((f) => [f, `This is longer than ${FIELD_LIMITS[f]} characters.`]))),
      };
    case 'MISMATCH':
      return { text: 'That is not the account being reconnected.', fields: only({ username: checkUser }) };
    case 'EMAIL_INVALID':
      return { text: 'That email address is not valid. Enter it as name@example.com, or leave the field empty.', fields: { email: 'Enter it as name@example.com, or leave it empty.' } };
    case 'OTHER':
      return { text: 'Something went wrong while connecting. Please try again later.', fields: {} };
  }
}
