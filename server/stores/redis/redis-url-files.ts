/**
 * Stored `data[].url` results in Redis: any replica serves any replica's file. Each is a
 * hash that Redis expires itself at the url TTL (PEXPIREAT); the bounds in count and bytes
 * hold for all namespaces together, oldest dropped first.
 */
import { randomBytes } from 'node:crypto';
import { MIME_TYPE_OF } from '../../images/mime-types';
import type { ImageFormat } from '../../images/types';
import type { StoredFile, UrlFileState } from '../state';
import type { RedisConnection } from './redis-connection';
import { keysOf, SCRIPTS } from './redis-scripts';

export class RedisUrlFiles implements UrlFileState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly options: { maxFiles: number; maxBytes: number; ttlSeconds: number },
  ) {}

  async put(namespace: string, bytes: Buffer, format: ImageFormat): Promise<{ name: string; expiresAt: number }> {
    const name = `img-${randomBytes(18).toString('base64url')}.${format}`;
    const now = Date.now();
    const expiresAt = now + this.options.ttlSeconds * 1000;
    const { maxFiles, maxBytes } = this.options;
    await this.redis.run(SCRIPTS.filePut, [this.prefix, namespace, name, bytes, MIME_TYPE_OF[format], String(now), String(expiresAt), String(maxFiles), String(maxBytes)]);
    return { name, expiresAt };
  }

  async get(name: string): Promise<StoredFile | undefined> {
    const [bytes, type, exp] = await this.redis.send<(Buffer | null)[]>(['HMGET', keysOf(this.prefix).file(name), 'bytes', 'type', 'exp'], true);
    if (!bytes || !type || !exp) return undefined;
    const expiresAt = Number(exp.toString());
    // Redis expires the key itself; this covers the last millisecond before it does.
    if (expiresAt <= Date.now()) return undefined;
    return { bytes, contentType: type.toString(), expiresAt };
  }
}
