export { createGoogleConnector, GOOGLE_CAPABILITIES, type GoogleConnectorConfig } from './google.connector.ts';
export { mapGoogleError, DEFAULT_RATE_LIMIT_DELAY_MS } from './errors.ts';
export { createGoogleOAuthCredentials, type GoogleOAuthCredentialsOptions } from './oauth-token.ts';
export { GOOGLE_CHANNEL_LIFETIME } from './push.ts';
