/** The `memory` state backend: everything in this process, nothing shared with another. */
import type { SandboxState, StateOptions } from '../state';
import { MemoryCoverage } from './memory-coverage';
import { MemoryFileObjects } from './memory-file-objects';
import { MemoryJournal } from './memory-journal';
import { MemoryNamespaces } from './memory-namespaces';
import { MemoryScenarios } from './memory-scenarios';
import { MemoryUrlFiles } from './memory-url-files';

export interface MemoryState extends SandboxState {
  readonly journal: MemoryJournal;
  readonly urlFiles: MemoryUrlFiles;
  readonly fileObjects: MemoryFileObjects;
}

export function createMemoryState(options: StateOptions): MemoryState {
  const journal = new MemoryJournal({ maxEntries: options.journalSize, maxBytes: options.journalBytes });
  const scenarios = new MemoryScenarios();
  const coverage = new MemoryCoverage();
  const urlFiles = new MemoryUrlFiles({ maxFiles: options.maxStoredFiles, maxBytes: options.maxStoredBytes, ttlSeconds: options.urlTtlSeconds });
  const clockMs = options.clockMs ?? Date.now;
  const fileObjects = new MemoryFileObjects({
    maxFiles: options.maxFiles,
    maxBytes: options.maxFilesBytes,
    ttlSeconds: options.filesTtlSeconds,
    nowSeconds: () => options.now ?? Math.floor(clockMs() / 1000),
  });
  const reset = async (namespace: string) => {
    await journal.clear(namespace);
    await scenarios.clear(namespace);
    urlFiles.clear(namespace);
    fileObjects.clear(namespace);
    namespaces.resetSettings(namespace);
    coverage.clear(namespace);
  };
  const namespaces: MemoryNamespaces = new MemoryNamespaces({
    maxNamespaces: options.maxNamespaces,
    idleMs: options.namespaceIdleSeconds * 1000,
    now: options.clockMs ?? Date.now,
    requestsIn: async (namespace) => (await journal.list(namespace)).entries.length,
    armedIn: (namespace) => scenarios.countIn(namespace),
    forget: reset,
  });
  return {
    backend: 'memory',
    journal,
    scenarios,
    urlFiles,
    fileObjects,
    namespaces,
    coverage,
    reset,
    async resetAll() {
      await journal.clear('*');
      scenarios.clearAll();
      urlFiles.clearAll();
      fileObjects.clearAll();
      namespaces.clearAll();
      coverage.clearAll();
    },
    ready: async () => undefined,
    close: async () => undefined,
  };
}
