export { assertLiteralAllowed, forbiddenAddressReason, guardedLookup, resolveAllowed, SsrfBlockedError, systemResolver, type Resolver } from './ssrf.ts';
