/**
 * The replay key: which recorded exchange answers a request. A sha256 over what decides the
 * answer, read from the request as the sandbox parsed it (before any default is filled in):
 * the method, the path, the query (sorted), the body's form, its fields as sent (keys sorted)
 * and its files in order (field name, declared type, sha256 of the bytes). The multipart
 * boundary, the filenames and the order of fields and headers do not count; the API key and
 * the `x-sandbox-*` headers never do.
 */
import { createHash } from 'node:crypto';
import type { ParsedForm } from '../edits/types';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Field values with their keys sorted, at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object')
    return Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]);
  return value;
}

export interface KeyedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string as sent, without `?`. */
  readonly query: string;
  readonly form: ParsedForm | undefined;
}

export function replayKey(request: KeyedRequest): string {
  const query = [...new URLSearchParams(request.query)].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const form = request.form;
  const files = form ? [...form.images, ...form.masks, ...form.otherFiles].map((file) => [file.field, file.mimetype, file.sha256]) : [];
  const body = form ? { form: form.bodyForm, fields: canonical(form.fields), files } : null;
  return sha256(JSON.stringify([1, request.method.toUpperCase(), request.path, query, body]));
}
