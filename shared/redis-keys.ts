/**
 * Redis connections and key names, one Redis or a Redis Cluster alike. A cluster runs a Lua script
 * (BullMQ's, and calhub's budgets, shares, turns and rate limits) only when all its keys hash to
 * one slot; a key's slot is that of its hash tag, the text between the first `{` and the next `}`.
 * So every key calhub writes starts with one prefix that carries a tag (`{calhub}` by default).
 */
// Types only: the configuration imports this module, and a command that never opens Redis
// (one a running hub does the work of, cli/operations.ts) should not load ioredis for it.
import type { Cluster, Redis } from 'ioredis';
import { ConfigError } from './errors.ts';

export type RedisConnection = Redis | Cluster;

export const DEFAULT_REDIS_PREFIX = '{calhub}';

/** Redis Cluster hashes only the text between the first `{` and the next `}`, when it is not empty. */
export function hasHashTag(key: string): boolean {
  const open = key.indexOf('{');
  if (open < 0) return false;
  const close = key.indexOf('}', open + 1);
  return close > open + 1;
}

/** Refuses, before any script runs, a prefix whose keys a cluster would scatter over slots (CROSSSLOT). */
export function assertClusterSafe(connection: RedisConnection, prefix: string): void {
  if (connection.isCluster && !hasHashTag(prefix)) {
    throw new ConfigError('REDIS_PREFIX', `a hash tag such as {calhub} on a Redis Cluster (multi-key scripts run only within one slot), got "${prefix}"`);
  }
}
