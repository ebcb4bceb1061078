export { KeyRing, DecryptError, keyFileOf, addKeyToFile } from './keyring.ts';
export { TokenManager, inMemoryCredentials, type StoredGrant, type TokenManagerOptions } from './token-manager.ts';
export { oauthProvider, isOAuthProvider, OAUTH_PROVIDERS, ACCESS_LEVELS, type AccessLevel, type OAuthProvider, type OAuthProviderId, type ProviderIdentity } from './providers.ts';
export { revokeToken, refreshTokens, type TokenSet } from './token-client.ts';
export { classifyGoogleRefreshFailure, classifyMicrosoftRefreshFailure, type RefreshFailure, type TokenFailure } from './refresh-failure.ts';
export {
  beginAuthorization, finishAuthorization, bindingCookieName, AuthorizeError, CallbackError, SignInStored, CALLBACK_ERRORS,
  type AuthorizationDeps, type BeginInput, type CallbackErrorCode, type FinishedAuthorization,
} from './authorization.ts';
export { rotateKeys, type RotationReport } from './rotate-keys.ts';
