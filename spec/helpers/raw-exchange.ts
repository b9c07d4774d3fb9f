/**
 * Requests sent with fetch and answers kept as bytes, for tests that compare answers byte for
 * byte (the recording proxy, replay) or read a stream as it arrives.
 */
import { fixture } from './fixtures';
import { contentTypeOf } from './edit-request';
import { TEST_KEY } from './test-sandbox';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  /** The body as JSON (throws when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export function rawAnswer(status: number, headers: Headers, bytes: Buffer): RawAnswer {
  return { status, headers, bytes, json: <T>() => JSON.parse(bytes.toString('utf8')) as T };
}

/** A multipart edit form: text fields, then the files (fixture names; default one scene image). */
export function editForm(fields: Record<string, string | number | boolean>, files: ReadonlyArray<{ field?: string; name: string }> = [{ name: 'scene-512.png' }]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  for (const file of files) form.append(file.field ?? 'image', new Blob([fixture(file.name)], { type: contentTypeOf(file.name) }), file.name);
  return form;
}

/** Sends a request and reads the whole answer. `body`: a form, or a value sent as JSON. */
export async function send(url: string, options: { method?: string; body?: FormData | object; key?: string | null; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const headers = new Headers(options.headers);
  if (options.key !== null) headers.set('authorization', `Bearer ${options.key ?? TEST_KEY}`);
  let body: FormData | string | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', 'application/json');
  }
  const response = await fetch(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  return rawAnswer(response.status, response.headers, Buffer.from(await response.arrayBuffer()));
}
