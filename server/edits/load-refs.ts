/**
 * A JSON edit's images by reference -> the same uploads a multipart edit carries, so that
 * inspection, rendering and the journal see one shape. An `image_url` is a base64 `data:`
 * URL, or a URL this sandbox served on the origin the request came to (`/__sandbox/files/…`,
 * `/v1/files/{id}/content`); a `file_id` names a Files API object. Any other URL is refused
 * unread: the sandbox never opens an outbound connection.
 */
import { errors } from '../errors/catalogue';
import type { UrlSigner } from '../http/signed-url';
import { storedContentType } from '../stores/file-objects';
import type { FileObjectState, UrlFileState } from '../stores/state';
import { sha256Of } from './parse';
import type { ImageRef, UploadedFile, ValidatedForm } from './types';

export interface RefSources {
  /** The request's namespace: its Files API objects are the ones a `file_id` names. */
  readonly namespace: string;
  readonly fileObjects: FileObjectState;
  /** The `data[].url` results this sandbox served. */
  readonly urlFiles: UrlFileState;
  /** Whether a `data[].url` is one this sandbox signed, and still fresh. */
  readonly urlSigner: UrlSigner;
  /** Origins this sandbox answers on for this request (its own, and SANDBOX_PUBLIC_URL). */
  readonly origins: readonly string[];
}

/** `data:[<type>][;params];base64,<payload>`: only base64 payloads carry image bytes. */
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const URL_FILE_PATH = /^\/__sandbox\/files\/([^/]+)$/;
const FILE_CONTENT_PATH = /^\/v1\/files\/([^/]+)\/content$/;

function upload(ref: ImageRef, filename: string, mimetype: string, buffer: Buffer): UploadedFile {
  return { field: ref.param.replace(/\[\d+\]$/, ''), param: ref.param, filename, mimetype, buffer, sha256: sha256Of(buffer) };
}

function fromDataUrl(ref: ImageRef, url: string): UploadedFile {
  const param = `${ref.param}.image_url`;
  const match = DATA_URL.exec(url);
  if (!match) throw errors.imageUrlMalformed(param, 'a data URL must look like data:image/png;base64,<bytes>');
  const [, type, params, payload] = match as unknown as [string, string, string, string];
  if (!params.split(';').includes('base64')) throw errors.imageUrlMalformed(param, "a data URL must carry its bytes as base64 (';base64,')");
  const base64 = payload.replace(/\s+/g, '');
  if (!BASE64.test(base64) || base64.length % 4 === 1) throw errors.imageUrlMalformed(param, 'the data URL is not valid base64');
  const mimetype = (type || 'text/plain').toLowerCase();
  const extension = mimetype.split('/')[1] ?? 'bin';
  return upload(ref, `data-url.${extension}`, mimetype, Buffer.from(base64, 'base64'));
}

async function fromFileId(ref: ImageRef, id: string, sources: RefSources, param: string): Promise<UploadedFile> {
  const stored = await sources.fileObjects.retrieve(sources.namespace, id);
  if (!stored) throw errors.fileIdNotFound(param, id);
  return upload(ref, stored.object.filename, storedContentType(stored), stored.content);
}

async function fromSandboxUrl(ref: ImageRef, url: string, sources: RefSources): Promise<UploadedFile> {
  const param = `${ref.param}.image_url`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.imageUrlMalformed(param, 'expected a fully qualified URL or a base64 data URL');
  }
  const servedHere = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && sources.origins.includes(parsed.origin);
  const urlFile = servedHere ? URL_FILE_PATH.exec(parsed.pathname) : null;
  const fileContent = servedHere ? FILE_CONTENT_PATH.exec(parsed.pathname) : null;
  if (urlFile) {
    const name = decodeURIComponent(urlFile[1]!);
    // Checked as the files route checks it: unsigned or tampered is refused, signed but past its expiry is gone.
    const signature = sources.urlSigner.check(name, parsed.searchParams.get('expires') ?? undefined, parsed.searchParams.get('signature') ?? undefined);
    if (signature === 'invalid') throw errors.imageUrlUnsigned(param, url);
    const stored = signature === 'valid' ? await sources.urlFiles.get(name) : undefined;
    if (!stored) throw errors.imageUrlGone(param, url);
    return upload(ref, name, stored.contentType, stored.bytes);
  }
  if (fileContent) {
    const stored = await sources.fileObjects.retrieve(sources.namespace, decodeURIComponent(fileContent[1]!));
    if (!stored) throw errors.imageUrlGone(param, url);
    return upload(ref, stored.object.filename, storedContentType(stored), stored.content);
  }
  throw errors.imageUrlNotServedHere(param, url);
}

async function load(ref: ImageRef, sources: RefSources): Promise<UploadedFile> {
  if (ref.fileId !== undefined) return fromFileId(ref, ref.fileId, sources, `${ref.param}.file_id`);
  const url = ref.imageUrl ?? '';
  return /^data:/i.test(url) ? fromDataUrl(ref, url) : fromSandboxUrl(ref, url, sources);
}

/** The form with its references loaded as uploads (a multipart form is returned as it is). */
export async function loadImageRefs(form: ValidatedForm, sources: RefSources): Promise<ValidatedForm> {
  if (!form.refs) return form;
  const images: UploadedFile[] = [];
  for (const ref of form.refs.images) images.push(await load(ref, sources));
  const mask = form.refs.mask ? await load(form.refs.mask, sources) : undefined;
  return { ...form, images, mask, refs: undefined };
}
