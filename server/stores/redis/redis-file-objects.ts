/**
 * Files API objects in Redis: any replica serves a `file_id` another replica stored. Each
 * object is a hash holding its JSON, declared type and bytes; expiry follows the sandbox's
 * clock (SANDBOX_NOW included, as the memory backend does), checked inside every script.
 */
import { newFileObject, pageOf, type FileListQuery, type FileObject, type NewUpload, type StoredUpload } from '../file-objects';
import type { FileObjectState } from '../state';
import type { RedisConnection } from './redis-connection';
import { SCRIPTS } from './redis-scripts';

export class RedisFileObjects implements FileObjectState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly options: { maxFiles: number; maxBytes: number; ttlSeconds: number; nowSeconds: () => number },
  ) {}

  async create(namespace: string, upload: NewUpload): Promise<FileObject> {
    const now = this.options.nowSeconds();
    const object = newFileObject(upload, now, this.options.ttlSeconds);
    const { maxFiles, maxBytes } = this.options;
    await this.redis.run(SCRIPTS.objectCreate, [
      this.prefix,
      namespace,
      object.id,
      JSON.stringify(object),
      upload.contentType,
      upload.content,
      String(now),
      String(object.expires_at ?? Number.MAX_SAFE_INTEGER),
      String(maxFiles),
      String(maxBytes),
    ]);
    return object;
  }

  async retrieve(namespace: string, id: string): Promise<StoredUpload | undefined> {
    const reply = await this.redis.run<(Buffer | null)[] | null>(SCRIPTS.objectGet, [this.prefix, namespace, id, String(this.options.nowSeconds())], true);
    if (!reply || !reply[0] || !reply[2]) return undefined;
    return { object: JSON.parse(reply[0].toString()) as FileObject, contentType: reply[1]?.toString() ?? '', content: reply[2] };
  }

  async list(namespace: string, query: FileListQuery): Promise<{ data: FileObject[]; hasMore: boolean }> {
    const reply = await this.redis.run<string[]>(SCRIPTS.objectList, [this.prefix, namespace, String(this.options.nowSeconds())]);
    return pageOf(reply.map((json) => JSON.parse(json) as FileObject), query);
  }

  async delete(namespace: string, id: string): Promise<boolean> {
    return Number(await this.redis.run(SCRIPTS.objectDelete, [this.prefix, namespace, id])) === 1;
  }
}
