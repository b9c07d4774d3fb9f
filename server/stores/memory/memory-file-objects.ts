/**
 * Files API objects in process memory: per namespace, bounded in count and bytes for all
 * namespaces together (the oldest go first), each gone at its `expires_at`.
 */
import { newFileObject, pageOf, type FileListQuery, type FileObject, type NewUpload, type StoredUpload } from '../file-objects';
import type { FileObjectState } from '../state';

interface Kept extends StoredUpload {
  readonly namespace: string;
}

export class MemoryFileObjects implements FileObjectState {
  /** Oldest first: a Map keeps insertion order, which is also the listing order. */
  private readonly files = new Map<string, Kept>();
  private storedBytes = 0;

  constructor(private readonly options: { maxFiles: number; maxBytes: number; ttlSeconds: number; nowSeconds: () => number }) {}

  async create(namespace: string, upload: NewUpload): Promise<FileObject> {
    this.purgeExpired();
    const object = newFileObject(upload, this.options.nowSeconds(), this.options.ttlSeconds);
    this.files.set(object.id, { namespace, object, content: upload.content, contentType: upload.contentType });
    this.storedBytes += upload.content.length;
    for (const [id] of this.files) {
      if (this.files.size <= this.options.maxFiles && this.storedBytes <= this.options.maxBytes) break;
      if (id !== object.id) this.remove(id);
    }
    return object;
  }

  async retrieve(namespace: string, id: string): Promise<StoredUpload | undefined> {
    this.purgeExpired();
    const kept = this.files.get(id);
    return kept?.namespace === namespace ? { object: kept.object, content: kept.content, contentType: kept.contentType } : undefined;
  }

  async list(namespace: string, query: FileListQuery): Promise<{ data: FileObject[]; hasMore: boolean }> {
    this.purgeExpired();
    return pageOf([...this.files.values()].filter((kept) => kept.namespace === namespace).map((kept) => kept.object), query);
  }

  async delete(namespace: string, id: string): Promise<boolean> {
    this.purgeExpired();
    return this.files.get(id)?.namespace === namespace && this.remove(id);
  }

  clear(namespace: string): void {
    for (const [id, kept] of this.files) if (kept.namespace === namespace) this.remove(id);
  }

  clearAll(): void {
    this.files.clear();
    this.storedBytes = 0;
  }

  get size(): number {
    return this.files.size;
  }

  get bytes(): number {
    return this.storedBytes;
  }

  private remove(id: string): boolean {
    const kept = this.files.get(id);
    if (!kept) return false;
    this.files.delete(id);
    this.storedBytes -= kept.content.length;
    return true;
  }

  private purgeExpired(): void {
    const now = this.options.nowSeconds();
    for (const [id, kept] of this.files) if (kept.object.expires_at != null && kept.object.expires_at <= now) this.remove(id);
  }
}
