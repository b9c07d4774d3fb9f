/**
 * Every piece of state of one sandbox instance, built from its config; nothing is module-level.
 * Render caches are not state (they never change an answer) and live beside the stores.
 */
import type { SandboxConfig } from '../config';
import { createUrlSigner, type UrlSigner } from '../http/signed-url';
import { frozenClock, systemClock, type Clock } from './clock';
import { createMemoryState } from './memory/memory-state';
import { createRedisState } from './redis/redis-state';
import type { StateReport } from './redis/redis-connection';
import type { SandboxState } from './state';

export interface Stores {
  /** `created` / `created_at` (frozen by SANDBOX_NOW). */
  readonly clock: Clock;
  /** Journal, armed scenarios, url files and namespaces, behind the state interface. */
  readonly state: SandboxState;
  /** Signs and checks `data[].url`s (SANDBOX_URL_SECRET, else a key of this process's own). */
  readonly urlSigner: UrlSigner;
}

/** The backend SANDBOX_STATE_URL names: memory when unset, else Redis. `report` gets its connection news. */
function createState(config: SandboxConfig, report?: StateReport): SandboxState {
  if (config.stateUrl === null) return createMemoryState(config);
  return createRedisState({ ...config, url: config.stateUrl, prefix: config.statePrefix, timeoutMs: config.stateTimeoutMs, ...(report ? { report } : {}) });
}

export function createStores(config: SandboxConfig, report?: StateReport): Stores {
  return {
    clock: config.now === null ? systemClock : frozenClock(config.now),
    state: createState(config, report),
    urlSigner: createUrlSigner(config.urlSecret),
  };
}
