/**
 * Which namespaces exist, when each was last active, and their settings, in Redis. One sorted
 * set by last activity gives both bounds without scanning: idle expiry reads its oldest
 * members, and past SANDBOX_MAX_NAMESPACES the least recently active one is reset and
 * forgotten. The default namespace never expires.
 */
import type { NamespaceSettings, NamespaceState, NamespaceSummary } from '../state';
import type { RedisConnection } from './redis-connection';
import { keysOf, SCRIPTS } from './redis-scripts';

export interface RedisNamespaceBounds {
  readonly maxNamespaces: number;
  readonly idleMs: number;
  /** Unix milliseconds now (a test may move time). */
  readonly now: () => number;
}

const FIELDS = ['latencyMs', 'seed'] as const satisfies readonly (keyof NamespaceSettings)[];

export class RedisNamespaces implements NamespaceState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly bounds: RedisNamespaceBounds,
  ) {}

  async touch(namespace: string): Promise<void> {
    const now = this.bounds.now();
    await this.redis.run(SCRIPTS.namespaceTouch, [this.prefix, namespace, String(now), String(now - this.bounds.idleMs), String(this.bounds.maxNamespaces)]);
  }

  async list(): Promise<NamespaceSummary[]> {
    const reply = await this.redis.run<(string | number)[]>(SCRIPTS.namespaceList, [this.prefix, String(this.bounds.now() - this.bounds.idleMs)]);
    const summaries: NamespaceSummary[] = [];
    for (let i = 0; i + 3 < reply.length; i += 4)
      summaries.push({ name: String(reply[i]), lastActiveAt: Number(reply[i + 1]), requests: Number(reply[i + 2]), armed: Number(reply[i + 3]) });
    return summaries;
  }

  async settings(namespace: string): Promise<NamespaceSettings> {
    const values = await this.redis.send<(string | null)[]>(['HMGET', keysOf(this.prefix).settings(namespace), ...FIELDS]);
    return { latencyMs: values[0] ? (JSON.parse(values[0]) as number) : null, seed: values[1] ? (JSON.parse(values[1]) as string) : null };
  }

  async updateSettings(namespace: string, patch: Partial<NamespaceSettings>): Promise<NamespaceSettings> {
    await this.touch(namespace);
    const key = keysOf(this.prefix).settings(namespace);
    // Field by field (no read-modify-write): null forgets a setting, a value replaces it.
    const set = FIELDS.filter((f) => patch[f] !== undefined && patch[f] !== null).flatMap((f) => [f, JSON.stringify(patch[f])]);
    const unset = FIELDS.filter((f) => patch[f] === null);
    if (set.length) await this.redis.send(['HSET', key, ...set]);
    if (unset.length) await this.redis.send(['HDEL', key, ...unset]);
    return this.settings(namespace);
  }
}
