export { loadApiConfig, loadConfig, type ApiConfig, type Config } from './config.ts';
export { VARIABLES, type Variable } from './variables.ts';
