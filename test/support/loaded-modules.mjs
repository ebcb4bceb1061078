// Preload (`node --import`): appends the URL of every module the process resolves to the file
// named by CALHUB_TEST_LOADED_MODULES, so a test can tell which of calhub's modules a command loaded.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.CALHUB_TEST_LOADED_MODULES) appendFileSync(process.env.CALHUB_TEST_LOADED_MODULES, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
