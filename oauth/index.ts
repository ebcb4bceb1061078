export { KeyRing, DecryptError } from './keyring.ts';
export { oauthAccessTokenSource, type OAuthTokens } from './token-manager.ts';
