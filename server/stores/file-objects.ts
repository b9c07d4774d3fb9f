/**
 * Files API objects as every state backend keeps them: the wire shape, what an upload
 * brings, how a listing is asked for, and the id and content-type rules, decided here once.
 */
import { randomBytes } from 'node:crypto';
import type { components } from '../contract/openapi-types.gen';
import { mimeTypeOf } from '../images/mime-types';
import { sniffFormat } from '../images/sniff-format';

/** The wire shape of a file object. @see openapi.yaml#/components/schemas/OpenAIFile */
export type FileObject = components['schemas']['OpenAIFile'];

export interface StoredUpload {
  readonly object: FileObject;
  readonly content: Buffer;
  /** The upload part's declared Content-Type. */
  readonly contentType: string;
}

export interface NewUpload {
  readonly content: Buffer;
  readonly filename: string;
  readonly contentType: string;
  readonly purpose: FileObject['purpose'];
  /** `expires_after[seconds]` (anchor `created_at`), if sent. */
  readonly expiresAfterSeconds: number | undefined;
}

export interface FileListQuery {
  readonly purpose: string | undefined;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  /** An id: the page starts after it. */
  readonly after: string | undefined;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `file-` and 22 random alphanumerics, as observed live ids look. */
export function newFileId(): string {
  return `file-${Array.from(randomBytes(22), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

/** The object of a new upload: `expires_at` is the sooner of the sandbox's lifetime and the upload's own. */
export function newFileObject(upload: NewUpload, createdAt: number, ttlSeconds: number): FileObject {
  return {
    id: newFileId(),
    object: 'file',
    bytes: upload.content.length,
    created_at: createdAt,
    expires_at: createdAt + Math.min(ttlSeconds, upload.expiresAfterSeconds ?? Infinity),
    filename: upload.filename,
    purpose: upload.purpose,
    status: 'processed',
    status_details: null,
  };
}

/** One page of a listing of objects held oldest first. */
export function pageOf(objects: readonly FileObject[], query: FileListQuery): { data: FileObject[]; hasMore: boolean } {
  let listed = query.order === 'desc' ? [...objects].reverse() : [...objects];
  if (query.purpose !== undefined) listed = listed.filter((object) => object.purpose === query.purpose);
  if (query.after !== undefined) {
    const at = listed.findIndex((object) => object.id === query.after);
    listed = at < 0 ? [] : listed.slice(at + 1);
  }
  return { data: listed.slice(0, query.limit), hasMore: listed.length > query.limit };
}

/**
 * What a stored file is, as its bytes say: SDK uploads are often typed
 * `application/octet-stream` (`fs.createReadStream` in Node), so the declared type is the last resort.
 */
export function storedContentType(stored: StoredUpload): string {
  const format = sniffFormat(stored.content);
  return format ? mimeTypeOf(format)! : stored.contentType || 'application/octet-stream';
}
