// The definition lives with the model, where the store's access scrub reads it too.
export { objectHash } from '../shared/model/index.ts';
