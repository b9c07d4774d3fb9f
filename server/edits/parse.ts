/**
 * multipart -> ParsedForm. multer (uploads in memory, each held once, bounded) reads the
 * body; image parts under every name the clients use (`image`, repeated `image`, `image[]`, `image.0`, `image.1.items`)
 * are folded into one ordered list. MulterError and busboy errors are translated here.
 * @see ../shared/reference/sdk-encoding.md
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { parse as parseContentType } from 'content-type';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import type { KnownUpload } from '../images/render-caches';
import type { ByteBoundedCache } from '../images/byte-bounded-cache';
import { MODEL_RULES } from '../models/rules';
import { firstUnreadablePart, PartHeaderScanner } from './multipart-parts';
import { singleCopyStorage } from './upload-storage';
import type { BodyForm, ParsedForm, UploadedFile } from './types';

/** Image part names: plain, PHP-style arrays, and the seed page's `image.N[.items]`. */
const IMAGE_FIELD = /^image(\[\d*\]|\.\d+(\.items)?)$|^image$/;
const ARRAY_IMAGE_FIELD = /^image(\[\d*\]|\.\d+(\.items)?)$/;

/** Bounds of the multipart reader; each has a clear error below. */
export const MULTIPART_LIMITS = {
  /** 16 images, a mask, and room to report "too many images" with a clear message. */
  files: 32,
  fields: 64,
  parts: 128,
  fieldNameSize: 200,
  /** 32000 prompt characters of up to 4 UTF-8 bytes each fit well under this. */
  fieldSize: 256 * 1024,
} as const;

/**
 * JSON bodies nesting deeper than this are refused as unparseable. An edit body is three levels
 * deep (`images[].image_url`); the journal and validation walk what they are given, and a
 * few kilobytes of brackets must not be able to exhaust the stack after the answer is sent.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects and arrays deeper than `limit` (walked without recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** After the JSON reader: a body nested deeper than MAX_JSON_DEPTH gets the live "could not parse" answer. */
export function refuseDeepJson(): RequestHandler {
  return (req, _res, next) => next(nestsDeeperThan(req.body, MAX_JSON_DEPTH) ? errors.malformedJson() : undefined);
}

/** Hashes an upload once, when the body is read: the journal, the caches and the seed all use it. */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The most images any model takes: what a too-many-files error names as the limit. */
const MOST_IMAGES = Math.max(...MODEL_RULES.map((rules) => rules.maxImages));

export function fromMulterError(err: unknown, maxUploadBytes: number): SandboxError {
  const code = (err as { code?: unknown }).code;
  const field = (err as { field?: unknown }).field;
  const name = typeof field === 'string' && field !== '' ? field : 'image';
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return errors.fileTooLarge(name, maxUploadBytes, 413);
    case 'LIMIT_FILE_COUNT':
      return errors.tooManyFiles(MOST_IMAGES, MULTIPART_LIMITS.files);
    case 'LIMIT_FIELD_VALUE':
      return errors.fieldTooLarge(name, MULTIPART_LIMITS.fieldSize);
    case 'LIMIT_FIELD_COUNT':
      return errors.tooManyParameters(MULTIPART_LIMITS.fields);
    case 'LIMIT_PART_COUNT':
      return errors.malformedMultipart(`more than ${MULTIPART_LIMITS.parts} parts`);
    case 'LIMIT_FIELD_KEY':
      return errors.malformedMultipart(`a field name is longer than ${MULTIPART_LIMITS.fieldNameSize} characters`);
    case 'MISSING_FIELD_NAME':
      return errors.malformedMultipart('a part has no field name');
    default: {
      const message = err instanceof Error ? err.message : String(err);
      // busboy's texts ("Multipart: Boundary not found", "Unexpected end of form") are safe to show.
      return errors.malformedMultipart(message.replace(/^Multipart: /, '').replace(/\.$/, '').toLowerCase() || 'malformed body');
    }
  }
}

/** The boundary of a multipart body, when the request has one. */
function boundaryOf(req: Request): string | undefined {
  try {
    const type = parseContentType(req.headers['content-type'] ?? '');
    return type.type === 'multipart/form-data' ? type.parameters.boundary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The multer middleware, with its errors already in the envelope, and every part answered
 * for: one busboy skips is a 400 naming it (multipart-parts.ts).
 */
export function multipartReader(config: SandboxConfig): RequestHandler {
  const upload = multer({
    storage: singleCopyStorage(config.maxUploadBytes),
    limits: { ...MULTIPART_LIMITS, fileSize: config.maxUploadBytes },
  }).any();
  return (req, res, next) => {
    const boundary = boundaryOf(req);
    const scanner = boundary ? new PartHeaderScanner(boundary) : undefined;
    // A second reader of the same chunks multer pipes on (both attach before the body flows).
    const watch = (chunk: Buffer) => scanner?.push(chunk);
    if (scanner) req.on('data', watch);
    upload(req, res, (err?: unknown) => {
      req.off('data', watch);
      if (err) return next(fromMulterError(err, config.maxUploadBytes));
      if (!scanner) return next();
      firstUnreadablePart(scanner.headers).then((unreadable) => next(unreadable), next);
    });
  };
}

/** Uploads up to this size are fingerprinted whole; larger ones by a spread of samples. */
const WHOLE_FINGERPRINT_BYTES = 64 * 1024;
const SAMPLE_EDGE_BYTES = 4096;
const SAMPLES = 64;
const SAMPLE_BYTES = 64;

/**
 * The key a known upload is looked up by: its length and a CRC-32 (native) of its first and
 * last 4 KiB and 64 slices spread between. Equal uploads get equal keys; two different ones
 * may share a key, which the byte compare in identify() settles. CRC-32 of a whole 0.85 MB
 * upload cost a tenth of a repeated edit's time; the compare is a memcmp.
 */
export function uploadKey(buffer: Buffer): string {
  if (buffer.length <= WHOLE_FINGERPRINT_BYTES) return `${buffer.length}:${zlib.crc32(buffer)}`;
  let crc = zlib.crc32(buffer.subarray(0, SAMPLE_EDGE_BYTES));
  crc = zlib.crc32(buffer.subarray(buffer.length - SAMPLE_EDGE_BYTES), crc);
  const stride = Math.floor((buffer.length - 2 * SAMPLE_EDGE_BYTES) / SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const at = SAMPLE_EDGE_BYTES + i * stride;
    crc = zlib.crc32(buffer.subarray(at, at + SAMPLE_BYTES), crc);
  }
  return `${buffer.length}:${crc}`;
}

/**
 * An upload's bytes and sha256: a repeated upload is found by its key, confirmed byte for
 * byte, and its known copy and hash reused, so identical uploads are held once and hashed
 * once. zlib.crc32 needs Node 20.15; before it, every upload is hashed.
 */
export function identify(buffer: Buffer, known?: ByteBoundedCache<KnownUpload>): KnownUpload {
  if (!known || typeof zlib.crc32 !== 'function') return { buffer, sha256: sha256Of(buffer) };
  const key = uploadKey(buffer);
  const hit = known.get(key);
  if (hit && hit.buffer.equals(buffer)) return hit;
  const fresh = { buffer, sha256: sha256Of(buffer) };
  known.set(key, fresh);
  return fresh;
}

/**
 * req.body + req.files (after multer, or a JSON/urlencoded body) -> ParsedForm. A JSON body
 * keeps its values as sent (its image references included); validation reads them.
 */
export function toParsedForm(
  body: unknown,
  files: readonly Express.Multer.File[] | undefined,
  bodyForm: BodyForm = 'multipart',
  known?: ByteBoundedCache<KnownUpload>,
): ParsedForm {
  const fields: Record<string, unknown> =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
  const imageParts = (files ?? []).filter((f) => IMAGE_FIELD.test(f.fieldname));
  const imageIsArray = imageParts.length > 1 || imageParts.some((f) => ARRAY_IMAGE_FIELD.test(f.fieldname));
  const toUpload = (f: Express.Multer.File, param: string): UploadedFile => ({
    field: f.fieldname,
    param,
    filename: f.originalname,
    mimetype: f.mimetype,
    ...identify(f.buffer, known),
  });
  return {
    bodyForm,
    fields,
    images: imageParts.map((f, i) => toUpload(f, imageIsArray ? `image[${i}]` : 'image')),
    masks: (files ?? []).filter((f) => f.fieldname === 'mask').map((f) => toUpload(f, 'mask')),
    imageIsArray,
    otherFiles: (files ?? [])
      .filter((f) => f.fieldname !== 'mask' && !IMAGE_FIELD.test(f.fieldname))
      .map((f) => toUpload(f, f.fieldname)),
  };
}
