/** Every piece of state of one sandbox instance, built from its config; nothing is module-level. */
import type { SandboxConfig } from '../config';
import { createFitCache, type FitCache } from '../images/fit-input';
import { frozenClock, systemClock, type Clock } from './clock';
import { FileStore } from './file-store';

export interface Stores {
  readonly clock: Clock;
  readonly files: FileStore;
  /** Decoded, fitted inputs (and masks) by upload hash and size. */
  readonly fitCache: FitCache;
  /** Back to the start state (POST /__sandbox/reset). */
  reset(): void;
}

export function createStores(config: SandboxConfig): Stores {
  const files = new FileStore({ maxFiles: config.maxStoredFiles, maxBytes: config.maxStoredBytes, ttlSeconds: config.urlTtlSeconds });
  const fitCache = createFitCache(config.renderCacheBytes);
  return {
    clock: config.now === null ? systemClock : frozenClock(config.now),
    files,
    fitCache,
    reset() {
      files.clear();
      fitCache.clear();
    },
  };
}
