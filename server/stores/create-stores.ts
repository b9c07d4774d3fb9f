/**
 * Every piece of state of one sandbox instance, built from its config; nothing is module-level.
 * Render caches are not state (they never change an answer) and live beside the stores.
 */
import type { SandboxConfig } from '../config';
import { frozenClock, systemClock, type Clock } from './clock';
import { FileStore } from './file-store';
import { JournalStore } from './journal-store';
import { ScenarioStore } from './scenario-store';

export interface Stores {
  readonly clock: Clock;
  readonly files: FileStore;
  /** Recorded edit requests (GET /__sandbox/requests). */
  readonly journal: JournalStore;
  /** Armed failure scenarios (POST /__sandbox/scenarios). */
  readonly scenarios: ScenarioStore;
  /** Back to the start state (POST /__sandbox/reset). */
  reset(): void;
}

export function createStores(config: SandboxConfig): Stores {
  const files = new FileStore({ maxFiles: config.maxStoredFiles, maxBytes: config.maxStoredBytes, ttlSeconds: config.urlTtlSeconds });
  const journal = new JournalStore({ maxEntries: config.journalSize, maxBytes: config.journalBytes });
  const scenarios = new ScenarioStore();
  return {
    clock: config.now === null ? systemClock : frozenClock(config.now),
    files,
    journal,
    scenarios,
    reset() {
      files.clear();
      journal.clear();
      scenarios.clear();
    },
  };
}
