/**
 * Every piece of state of one sandbox instance, built from its config; nothing is module-level.
 * Render caches are not state (they never change an answer) and live beside the stores.
 */
import type { SandboxConfig } from '../config';
import { frozenClock, systemClock, type Clock } from './clock';
import { createMemoryState } from './memory/memory-state';
import type { SandboxState } from './state';

export interface Stores {
  /** `created` / `created_at` (frozen by SANDBOX_NOW). */
  readonly clock: Clock;
  /** Journal, armed scenarios, url files and namespaces, behind the state interface. */
  readonly state: SandboxState;
}

export function createStores(config: SandboxConfig): Stores {
  return {
    clock: config.now === null ? systemClock : frozenClock(config.now),
    state: createMemoryState(config),
  };
}
