/**
 * The embedded store's server on its own, for `calhub start`'s store thread: the store's index
 * brings every repository, zod schema and the busy expansion, none of which that thread runs
 * (issue 15: each module a thread loads stays in its heap).
 */
export { serveEmbedded, type ServedEmbedded } from './store/embedded.ts';
