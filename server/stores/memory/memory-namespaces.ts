/**
 * Which namespaces exist, when each was last active, and their settings, in process memory.
 * Bounded: past SANDBOX_MAX_NAMESPACES the least recently active one is forgotten, and one
 * idle for SANDBOX_NAMESPACE_IDLE_SECONDS expires; either way its state is reset. The default
 * namespace never expires, so a sandbox used without namespaces keeps everything as before.
 */
import { DEFAULT_NAMESPACE, type NamespaceSettings, type NamespaceState, type NamespaceSummary } from '../state';

const NO_SETTINGS: NamespaceSettings = { latencyMs: null, seed: null };

interface Known {
  lastActiveAt: number;
  settings: NamespaceSettings;
}

export interface NamespaceBounds {
  readonly maxNamespaces: number;
  readonly idleMs: number;
  /** Unix milliseconds now (a test may move time). */
  readonly now: () => number;
  /** Counts for the summaries. */
  readonly requestsIn: (namespace: string) => Promise<number>;
  readonly armedIn: (namespace: string) => number;
  /** Resets an expired or evicted namespace's state. */
  readonly forget: (namespace: string) => Promise<void>;
}

export class MemoryNamespaces implements NamespaceState {
  /** Insertion order is activity order: a touched namespace moves to the end. */
  private readonly known = new Map<string, Known>();

  constructor(private readonly bounds: NamespaceBounds) {}

  async touch(namespace: string): Promise<void> {
    const now = this.bounds.now();
    await this.expireIdle(now);
    const entry = this.known.get(namespace) ?? { lastActiveAt: now, settings: NO_SETTINGS };
    entry.lastActiveAt = now;
    this.known.delete(namespace);
    this.known.set(namespace, entry);
    for (const [name] of this.known) {
      if (this.known.size <= this.bounds.maxNamespaces) break;
      if (name !== DEFAULT_NAMESPACE && name !== namespace) await this.evict(name);
    }
  }

  /** Oldest activity first: the sweep stops at the first namespace still active. */
  private async expireIdle(now: number): Promise<void> {
    for (const [name, entry] of [...this.known]) {
      if (name === DEFAULT_NAMESPACE) continue;
      if (now - entry.lastActiveAt <= this.bounds.idleMs) break;
      await this.evict(name);
    }
  }

  private async evict(name: string): Promise<void> {
    this.known.delete(name);
    await this.bounds.forget(name);
  }

  async list(): Promise<NamespaceSummary[]> {
    await this.expireIdle(this.bounds.now());
    return Promise.all(
      [...this.known].map(async ([name, entry]) => ({ name, lastActiveAt: entry.lastActiveAt, requests: await this.bounds.requestsIn(name), armed: this.bounds.armedIn(name) })),
    );
  }

  async settings(namespace: string): Promise<NamespaceSettings> {
    return this.known.get(namespace)?.settings ?? NO_SETTINGS;
  }

  async updateSettings(namespace: string, patch: Partial<NamespaceSettings>): Promise<NamespaceSettings> {
    await this.touch(namespace);
    const entry = this.known.get(namespace)!;
    entry.settings = { ...entry.settings, ...patch };
    return entry.settings;
  }

  /** Forgets a namespace's settings (its reset). */
  resetSettings(namespace: string): void {
    const entry = this.known.get(namespace);
    if (entry) entry.settings = NO_SETTINGS;
  }

  clearAll(): void {
    this.known.clear();
  }
}
