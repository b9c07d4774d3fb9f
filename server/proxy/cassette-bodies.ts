/**
 * A cassette's bodies as files: how a recorded body becomes `exchange.json`'s description and
 * the files beside it, and back. A multipart form is kept part by part (each file part as its
 * own file). A JSON or SSE body is kept whole in one file, except its base64 images (a
 * response's `b64_json`, a request's `data:` URL), which are kept as image files and written
 * `@file:<name>` in the body file: putting them back gives the bytes as sent, exactly (checked
 * when recording; a body that would not come back exactly is kept whole). Anything else is
 * kept as its bytes.
 */
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { components } from '../contract/openapi-types.gen';
import { mediaTypeOf } from '../contract/operations';
import { sha256Of } from '../edits/parse';
import { sniffFormat } from '../images/sniff-format';
import { readEvents } from '../streaming/parse-sse';

export type CassetteBody = components['schemas']['CassetteBody'];
export type CassettePart = components['schemas']['CassettePart'];
/** A body kept in one file, its images beside it. */
export type FileBody = Extract<CassetteBody, { file: string }>;

export type Side = 'request' | 'response';

/** A body as `exchange.json` describes it, and the files to write beside it. */
export interface StoredBody {
  readonly description: CassetteBody;
  readonly files: ReadonlyMap<string, Buffer>;
}


const EXTENSIONS = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;
const extensionOf = (bytes: Buffer) => {
  const format = sniffFormat(bytes);
  return format ? EXTENSIONS[format] : 'bin';
};

/** Where a base64 image sits in a body's text: the value of `b64_json`, or a data URL's payload. */
function imagePayloads(value: unknown, found: Set<string>, key?: string): void {
  if (typeof value === 'string') {
    if (key === 'b64_json') found.add(value);
    else {
      const dataUrl = /^data:[^,]*;base64,/i.exec(value);
      if (dataUrl) found.add(value.slice(dataUrl[0].length));
    }
  } else if (Array.isArray(value)) value.forEach((item) => imagePayloads(item, found));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) imagePayloads(v, found, k);
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The JSON documents of a body: the body itself, or each event's data. */
function jsonDocuments(text: string, kind: 'json' | 'sse'): unknown[] {
  return kind === 'json' ? [parsedJson(text)] : readEvents(text).map((event) => parsedJson(event.data));
}

/** A token stands where its image's base64 stood: after the opening quote or the data URL's comma. */
const token = (name: string) => `@file:${name}`;

/** The body file's bytes with its images put back. */
export function restoreBody(body: FileBody, read: (name: string) => Buffer): Buffer {
  const bytes = read(body.file);
  if (body.images.length === 0) return bytes;
  let text = bytes.toString('utf8');
  for (const name of body.images) text = text.split(`${token(name)}"`).join(`${read(name).toString('base64')}"`);
  return Buffer.from(text, 'utf8');
}

/** A JSON or SSE body as a template and its image files; kept whole when that would not come back exactly. */
function storeText(side: Side, bytes: Buffer, kind: 'json' | 'sse'): StoredBody {
  const file = `${side}-body.${kind}`;
  const whole: StoredBody = { description: { file, images: [] }, files: new Map([[file, bytes]]) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return whole;
  }
  const payloads = new Set<string>();
  for (const document of jsonDocuments(text, kind)) imagePayloads(document, payloads);
  const files = new Map<string, Buffer>();
  const images: string[] = [];
  for (const payload of payloads) {
    const image = Buffer.from(payload, 'base64');
    // Only canonical base64 (what encoding the bytes again gives) comes back exactly.
    if (payload.length < 16 || image.toString('base64') !== payload) continue;
    const name = `${side}-image-${images.length}.${extensionOf(image)}`;
    const marked = text.split(`${payload}"`).join(`${token(name)}"`);
    if (marked === text) continue;
    text = marked;
    images.push(name);
    files.set(name, image);
  }
  const template = Buffer.from(text, 'utf8');
  files.set(file, template);
  const stored: StoredBody = { description: { file, images }, files };
  const back = restoreBody({ file, images }, (name) => files.get(name)!);
  return back.equals(bytes) ? stored : whole;
}

/** A multipart form, part by part (undefined when busboy cannot read it whole). */
async function storeParts(bytes: Buffer, contentType: string): Promise<StoredBody | undefined> {
  const parts: Array<CassettePart | Promise<CassettePart>> = [];
  const files = new Map<string, Buffer>();
  let reader: busboy.Busboy;
  try {
    reader = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
  } catch {
    return undefined;
  }
  const read = new Promise<boolean>((resolve) => {
    reader.on('field', (name, value) => parts.push({ name, value }));
    reader.on('file', (name, stream, info) => {
      const index = parts.length;
      parts.push(
        new Promise<CassettePart>((done) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const content = Buffer.concat(chunks);
            const file = `request-part-${index}.${extensionOf(content)}`;
            files.set(file, content);
            done({ name, file, filename: info.filename ?? '', content_type: info.mimeType, sha256: sha256Of(content) });
          });
        }),
      );
    });
    reader.on('close', () => resolve(true));
    reader.on('error', () => resolve(false));
  });
  Readable.from([bytes]).pipe(reader);
  if (!(await read)) return undefined;
  return { description: { parts: await Promise.all(parts) }, files };
}

/** A body as a cassette keeps it: none, a form part by part, or one file (images beside it). */
export async function storeBody(side: Side, bytes: Buffer, contentType: string | undefined): Promise<StoredBody> {
  if (bytes.length === 0) return { description: null, files: new Map() };
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === 'application/json') return storeText(side, bytes, 'json');
  if (mediaType === 'text/event-stream') return storeText(side, bytes, 'sse');
  if (side === 'request' && mediaType === 'multipart/form-data') {
    const parts = await storeParts(bytes, contentType ?? '');
    if (parts) return parts;
  }
  const file = `${side}-body.${extensionOf(bytes)}`;
  return { description: { file, images: [] }, files: new Map([[file, bytes]]) };
}
