export { caldavRequestDeadlineMs, heapGrowthPercent, loadApiConfig, loadConfig, type ApiConfig, type Config, type OAuthAppConfig, type OAuthConfig } from './config.ts';
export { VARIABLES, type Variable } from './variables.ts';
