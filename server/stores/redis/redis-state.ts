/**
 * The `redis` state backend (SANDBOX_STATE_URL=redis://…): the journal, armed scenarios, url
 * files, Files API objects, namespaces and outcome coverage in one Redis, under one key prefix, shared by every replica that uses
 * it. Render caches stay in each process. @see redis-scripts.ts for the key layout.
 */
import type { SandboxState, StateOptions } from '../state';
import { RedisConnection, type StateReport } from './redis-connection';
import { RedisCoverage } from './redis-coverage';
import { RedisFileObjects } from './redis-file-objects';
import { RedisJournal } from './redis-journal';
import { RedisNamespaces } from './redis-namespaces';
import { RedisScenarios } from './redis-scenarios';
import { SCRIPTS } from './redis-scripts';
import { RedisUrlFiles } from './redis-url-files';

export interface RedisStateOptions extends StateOptions {
  readonly url: string;
  readonly prefix: string;
  /** Bound of one round trip, and of waiting for a connection. */
  readonly timeoutMs: number;
  /** Where "Redis went away / is back" lines go. */
  readonly report?: StateReport;
}

export function createRedisState(options: RedisStateOptions): SandboxState {
  const redis = new RedisConnection({ url: options.url, timeoutMs: options.timeoutMs, ...(options.report ? { report: options.report } : {}) });
  const { prefix } = options;
  const clockMs = options.clockMs ?? Date.now;
  return {
    backend: 'redis',
    journal: new RedisJournal(redis, prefix, { maxEntries: options.journalSize, maxBytes: options.journalBytes }),
    scenarios: new RedisScenarios(redis, prefix),
    urlFiles: new RedisUrlFiles(redis, prefix, { maxFiles: options.maxStoredFiles, maxBytes: options.maxStoredBytes, ttlSeconds: options.urlTtlSeconds }),
    fileObjects: new RedisFileObjects(redis, prefix, {
      maxFiles: options.maxFiles,
      maxBytes: options.maxFilesBytes,
      ttlSeconds: options.filesTtlSeconds,
      // The sandbox's clock, frozen by SANDBOX_NOW as `created_at` is: the same rule as the memory backend.
      nowSeconds: () => options.now ?? Math.floor(clockMs() / 1000),
    }),
    namespaces: new RedisNamespaces(redis, prefix, { maxNamespaces: options.maxNamespaces, idleMs: options.namespaceIdleSeconds * 1000, now: options.clockMs ?? Date.now }),
    coverage: new RedisCoverage(redis, prefix),
    async reset(namespace) {
      await redis.run(SCRIPTS.namespaceReset, [prefix, namespace]);
    },
    async resetAll() {
      await redis.run(SCRIPTS.resetAll, [prefix]);
    },
    ready: () => redis.ready(),
    close: () => redis.close(),
  };
}
