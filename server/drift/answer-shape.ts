/**
 * The shape of an answer, which is what the drift check compares: a flat list of places and
 * what is there. The status and the media type; for a JSON body every value by its path
 * (`usage.input_tokens`: `194`), for a stream the sequence of event names and each event's
 * values under `events[i]`. Some values are compared by kind only, since no two answers share
 * them: times (`created`, `created_at`, `expires_at`), ids and urls (`string`); an image is
 * its format and size (`png 1024x1024`), never its pixels. In error messages, request ids
 * and file ids are masked (`req_…`), since they name one request.
 */
import { mediaTypeOf } from '../contract/operations';
import { readImageHeader } from '../images/inspect-image';
import { readEvents } from '../streaming/parse-sse';

/** An answer as received: status, `content-type` and body bytes. */
export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** Place -> what is there, in the order the answer has them. */
export type Shape = Map<string, string>;

/** Keys whose values differ between any two answers: compared by their kind only. */
const BY_KIND = new Set(['created', 'created_at', 'expires_at', 'id', 'first_id', 'last_id', 'url']);

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** An error text without what names one request. */
export function maskIds(text: string): string {
  return text.replace(/req_[0-9a-f]{8,}/g, 'req_…').replace(/file-[A-Za-z0-9]{6,}/g, 'file-…');
}

/** An image's format and size, from its bytes. */
async function describeImage(bytes: Buffer): Promise<string> {
  const header = await readImageHeader(bytes);
  return header ? `${header.format} ${header.width}x${header.height}` : `not an image (${bytes.length} bytes)`;
}

async function flatten(value: unknown, at: string, shape: Shape, key: string | undefined): Promise<void> {
  if (key === 'b64_json' && typeof value === 'string') shape.set(at, await describeImage(Buffer.from(value, 'base64')));
  else if (key !== undefined && BY_KIND.has(key)) shape.set(at, kindOf(value));
  else if (Array.isArray(value)) {
    if (value.length === 0) shape.set(at, '[]');
    for (const [index, item] of value.entries()) await flatten(item, `${at}[${index}]`, shape, undefined);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) shape.set(at, '{}');
    for (const [name, item] of entries) await flatten(item, at ? `${at}.${name}` : name, shape, name);
  } else if (key === 'message' && typeof value === 'string') shape.set(at, JSON.stringify(maskIds(value)));
  else shape.set(at, JSON.stringify(value));
}

function json(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export async function shapeOf(answer: Answer): Promise<Shape> {
  const shape: Shape = new Map();
  const mediaType = mediaTypeOf(answer.contentType);
  shape.set('status', String(answer.status));
  shape.set('content-type', mediaType || '(none)');
  const text = answer.body.toString('utf8');
  if (mediaType === 'application/json') {
    const parsed = json(text);
    if (parsed.ok) await flatten(parsed.value, '', shape, undefined);
    else shape.set('body', 'not JSON');
  } else if (mediaType === 'text/event-stream') {
    const events = readEvents(text);
    shape.set('events', events.map((event) => event.event ?? '(unnamed)').join(', ') || '(none)');
    for (const [index, event] of events.entries()) {
      const parsed = json(event.data);
      if (parsed.ok) await flatten(parsed.value, `events[${index}]`, shape, undefined);
      else shape.set(`events[${index}]`, 'not JSON');
    }
  } else if (answer.body.length > 0) shape.set('body', await describeImage(answer.body));
  return shape;
}
