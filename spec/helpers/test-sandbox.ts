/**
 * Sandboxes for tests: an in-process app for supertest (spec/http), or a listening sandbox
 * for real clients (spec/sdk, spec/embed, spec/clients). Quiet, frozen clock, zero stream spacing.
 */
import type { Express } from 'express';
import { createApp } from '../../server/app';
import type { RenderCaches } from '../../server/images/render-caches';
import { EMBEDDED_DEFAULTS, resolveConfig } from '../../server/config';
import { renderCachesFor, startSandbox, type SandboxHandle, type SandboxOptions } from '../../server/start-sandbox';
import { sharedContract } from '../../server/contract/spec';
import { createLogger } from '../../server/logger';
import { createStores, type Stores } from '../../server/stores/create-stores';
import type { JournalEntry } from '../../server/stores/journal-record';
import type { MemoryState } from '../../server/stores/memory/memory-state';
import { DEFAULT_NAMESPACE } from '../../server/stores/state';

export const TEST_NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
export const TEST_KEY = 'sk-test-0123456789abcdef';

export const TEST_DEFAULTS: SandboxOptions = { now: TEST_NOW, streamIntervalMs: 0, logLevel: 'silent', seed: 'test' };

/** An app (no socket) for supertest, with its stores (memory state, for its sizes) and render caches. */
export function testApp(options: SandboxOptions = {}): { app: Express; stores: Stores; memory: MemoryState; caches: RenderCaches } {
  const config = resolveConfig({ options: { ...TEST_DEFAULTS, ...options }, defaults: EMBEDDED_DEFAULTS });
  const stores = createStores(config);
  const caches = renderCachesFor(config);
  const logger = createLogger('silent');
  return { app: createApp({ config, contract: sharedContract(), stores, caches, logger }), stores, memory: stores.state as MemoryState, caches };
}

/** A namespace's journal entries, oldest first. */
export async function journalEntries(stores: Stores, namespace: string = DEFAULT_NAMESPACE): Promise<JournalEntry[]> {
  return (await stores.state.journal.list(namespace)).entries;
}

/** A listening sandbox on a free port. Close it in afterAll. */
export function testSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ ...TEST_DEFAULTS, ...options });
}
