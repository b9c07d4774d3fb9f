/**
 * Stored `data[].url` results in process memory: bounded in count and bytes for all
 * namespaces together, each expiring after the url TTL (60 minutes live). Names are
 * unguessable random ids; no client text reaches a filesystem.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { MIME_TYPE_OF } from '../../images/mime-types';
import type { ImageFormat } from '../../images/types';
import type { StoredFile, UrlFileState } from '../state';

interface Kept extends StoredFile {
  readonly namespace: string;
}

export class MemoryUrlFiles implements UrlFileState {
  private readonly files: LRUCache<string, Kept>;
  private readonly ttlMs: number;

  constructor(options: { maxFiles: number; maxBytes: number; ttlSeconds: number }) {
    this.ttlMs = options.ttlSeconds * 1000;
    this.files = new LRUCache<string, Kept>({
      max: options.maxFiles,
      maxSize: options.maxBytes,
      sizeCalculation: (file) => Math.max(1, file.bytes.length),
      ttl: this.ttlMs,
      ttlAutopurge: false,
    });
  }

  async put(namespace: string, bytes: Buffer, format: ImageFormat): Promise<{ name: string; expiresAt: number }> {
    const name = `img-${randomBytes(18).toString('base64url')}.${format}`;
    const expiresAt = Date.now() + this.ttlMs;
    this.files.set(name, { namespace, bytes, contentType: MIME_TYPE_OF[format], expiresAt });
    return { name, expiresAt };
  }

  async get(name: string): Promise<StoredFile | undefined> {
    const kept = this.files.get(name);
    return kept && { bytes: kept.bytes, contentType: kept.contentType, expiresAt: kept.expiresAt };
  }

  clear(namespace: string): void {
    for (const [name, file] of this.files.entries()) if (file.namespace === namespace) this.files.delete(name);
  }

  clearAll(): void {
    this.files.clear();
  }

  get size(): number {
    return this.files.size;
  }

  get bytes(): number {
    return this.files.calculatedSize;
  }
}
