export { main } from './main.ts';
export { COMMANDS } from './commands/all.ts';
