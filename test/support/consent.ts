/** The emulators' consent pages filled in without a browser: the sandbox's helper, shared with the tests. */
export { consent, consentAndReturn, type ConsentChoice } from '../../cli/sandbox/auto-consent.ts';
