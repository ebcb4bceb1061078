export { createMicrosoftConnector, type MicrosoftConnectorConfig } from './microsoft.connector.ts';
export { mapMicrosoftError } from './map-microsoft-error.ts';
export { verifyMicrosoftNotifications, GRAPH_EVENT_SUBSCRIPTION_LIFETIME, type GraphNotification } from './push.ts';
export { refreshMicrosoftToken, requestMicrosoftToken, type MicrosoftTokens } from './microsoft-oauth.ts';
