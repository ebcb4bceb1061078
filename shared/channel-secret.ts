/**
 * The secret a provider echoes with every notification (Google channel token, Graph clientState).
 * The store keeps only its SHA-256, so checking a presented secret hashes it and compares the two
 * digests in constant time: equal-length inputs, no early exit that would time the prefix.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters, under Google's 256 and Graph's 128 limits. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function secretMatches(storedHash: string | null, presented: string | undefined | null): boolean {
  if (!storedHash || typeof presented !== 'string') return false;
  const want = Buffer.from(storedHash, 'hex');
  const got = createHash('sha256').update(presented, 'utf8').digest();
  return want.length === got.length && timingSafeEqual(want, got);
}
