/**
 * Outcome coverage in Redis: one hash per namespace and one for the run, changed by one Lua
 * script per outcome (both tallies at once) and read with one HGETALL. @see redis-scripts.ts
 */
import { MAX_OUTCOME_VARIANTS, type CoverageCounts, type CoverageState } from '../state';
import type { RedisConnection } from './redis-connection';
import { keysOf, SCRIPTS } from './redis-scripts';

/** HGETALL answers a flat list (RESP2) or a map (RESP3). */
function pairsOf(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), String(reply[i + 1])]);
    return pairs;
  }
  if (reply instanceof Map) return [...reply].map(([k, v]) => [String(k), String(v)]);
  return Object.entries((reply ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
}

export class RedisCoverage implements CoverageState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async record(namespace: string, outcome: string, variant?: string): Promise<void> {
    await this.redis.run(SCRIPTS.coverageRecord, [this.prefix, namespace, outcome, variant ?? '', String(MAX_OUTCOME_VARIANTS)]);
  }

  async counts(namespace: string): Promise<CoverageCounts> {
    const counts: Record<string, { count: number; variants: Record<string, number> }> = {};
    const entry = (outcome: string) => (counts[outcome] ??= { count: 0, variants: {} });
    for (const [field, value] of pairsOf(await this.redis.send(['HGETALL', keysOf(this.prefix).coverage(namespace)]))) {
      const space = field.indexOf(' ');
      if (space < 0) entry(field).count = Number(value);
      else if (field.slice(space + 1) !== '#') entry(field.slice(0, space)).variants[field.slice(space + 1)] = Number(value);
    }
    return counts;
  }
}
