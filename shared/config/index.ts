export { loadConfig, type Config } from './config.ts';
export { VARIABLES, type Variable } from './variables.ts';
