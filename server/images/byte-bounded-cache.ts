/**
 * The one way the sandbox caches between requests: LRU, bounded by bytes. A budget of 0
 * caches nothing (every entry counts at least 2 against a bound of 1, so none is kept),
 * which lets callers `set` without checking whether caching is on.
 */
import { LRUCache } from 'lru-cache';

export type ByteBoundedCache<V extends {}> = LRUCache<string, V>;

export function byteBoundedCache<V extends {}>(maxBytes: number, sizeOf: (value: V) => number): ByteBoundedCache<V> {
  const bound = Math.max(1, maxBytes);
  return new LRUCache<string, V>({
    maxSize: bound,
    maxEntrySize: bound,
    sizeCalculation: (value) => Math.max(2, Math.ceil(sizeOf(value))),
  });
}
