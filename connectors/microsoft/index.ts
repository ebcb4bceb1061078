export { createMicrosoftConnector, type MicrosoftConnectorConfig } from './microsoft.connector.ts';
export { mapMicrosoftError } from './map-microsoft-error.ts';
export { verifyMicrosoftNotifications, MAX_SUBSCRIPTION_MINUTES, type GraphNotification } from './push.ts';
