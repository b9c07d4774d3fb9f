/**
 * Stored `data[].url` results: bounded in count and bytes, each expiring after the url TTL
 * (60 minutes live). Names are unguessable random ids; no client text reaches a filesystem,
 * everything stays in memory.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ImageFormat } from '../images/types';
import { MIME_TYPE_OF } from '../images/mime-types';

export interface StoredFile {
  readonly bytes: Buffer;
  readonly contentType: string;
  /** Unix milliseconds after which the file is gone. */
  readonly expiresAt: number;
}


export class FileStore {
  private readonly files: LRUCache<string, StoredFile>;
  private readonly ttlMs: number;

  constructor(options: { maxFiles: number; maxBytes: number; ttlSeconds: number }) {
    this.ttlMs = options.ttlSeconds * 1000;
    this.files = new LRUCache<string, StoredFile>({
      max: options.maxFiles,
      maxSize: options.maxBytes,
      sizeCalculation: (file) => Math.max(1, file.bytes.length),
      ttl: this.ttlMs,
      ttlAutopurge: false,
    });
  }

  /** Stores the bytes; returns the file's name (`img-<random>.<ext>`) and expiry. */
  put(bytes: Buffer, format: ImageFormat): { name: string; expiresAt: number } {
    const name = `img-${randomBytes(18).toString('base64url')}.${format}`;
    const expiresAt = Date.now() + this.ttlMs;
    this.files.set(name, { bytes, contentType: MIME_TYPE_OF[format], expiresAt });
    return { name, expiresAt };
  }

  get(name: string): StoredFile | undefined {
    return this.files.get(name);
  }

  get size(): number {
    return this.files.size;
  }

  get bytes(): number {
    return this.files.calculatedSize;
  }

  clear(): void {
    this.files.clear();
  }
}
