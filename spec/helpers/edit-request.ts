/** Builds multipart edit requests for supertest from fixtures. */
import type { Express } from 'express';
import request from 'supertest';
import { fixture } from './fixtures';
import { TEST_KEY } from './test-sandbox';

export interface EditFile {
  readonly field?: string;
  readonly name: string;
  readonly contentType?: string;
  /** Bytes instead of the fixture called `name`. */
  readonly bytes?: Buffer;
}

const CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/** POST /v1/images/edits to an app or a listening url, with the given text fields and files (default: one scene image). */
export function postEdit(
  app: Express | string,
  fields: Record<string, string | number | boolean>,
  files: readonly EditFile[] = [{ name: 'scene-512.png' }],
  key: string | null = TEST_KEY,
): request.Test {
  let req = request(app).post('/v1/images/edits');
  if (key !== null) req = req.set('Authorization', `Bearer ${key}`);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, String(value));
  for (const file of files)
    req = req.attach(file.field ?? 'image', file.bytes ?? fixture(file.name), { filename: file.name, contentType: file.contentType ?? contentTypeOf(file.name) });
  return req;
}

/** What to GET for a `data[].url` on the app itself: its path and its signed query, as returned. */
export function pathAndQuery(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
