/** Every piece of state of one sandbox instance, built from its config; nothing is module-level. */
import type { SandboxConfig } from '../config';
import { createFitCache, type FitCache } from '../images/fit-input';
import { createRenderCaches, type RenderCaches } from '../images/render-caches';
import { frozenClock, systemClock, type Clock } from './clock';
import { FileStore } from './file-store';
import { JournalStore } from './journal-store';
import { ScenarioStore } from './scenario-store';

export interface Stores {
  readonly clock: Clock;
  readonly files: FileStore;
  /** Decoded, fitted inputs (and masks) by upload hash and size. */
  readonly fitCache: FitCache;
  /** Encoded images and PNG bands of unedited inputs; each a quarter of the fit cache's bytes. */
  readonly renders: RenderCaches;
  /** Recorded edit requests (GET /__sandbox/requests). */
  readonly journal: JournalStore;
  /** Armed failure scenarios (POST /__sandbox/scenarios). */
  readonly scenarios: ScenarioStore;
  /** Back to the start state (POST /__sandbox/reset). */
  reset(): void;
}

export function createStores(config: SandboxConfig): Stores {
  const files = new FileStore({ maxFiles: config.maxStoredFiles, maxBytes: config.maxStoredBytes, ttlSeconds: config.urlTtlSeconds });
  const fitCache = createFitCache(config.renderCacheBytes);
  const renders = createRenderCaches(Math.floor(config.renderCacheBytes / 4));
  const journal = new JournalStore({ maxEntries: config.journalSize, maxBytes: config.journalBytes });
  const scenarios = new ScenarioStore();
  return {
    clock: config.now === null ? systemClock : frozenClock(config.now),
    files,
    fitCache,
    renders,
    journal,
    scenarios,
    reset() {
      files.clear();
      fitCache.clear();
      renders.clear();
      journal.clear();
      scenarios.clear();
    },
  };
}
