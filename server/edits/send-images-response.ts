/**
 * Sends the ImagesResponse of buildImagesResponse without building megabytes of JSON text:
 * the body's small JSON is made with placeholder images, and each image's base64 is written
 * as bytes where its placeholder stood. A repeated image's base64 comes from RenderCaches.
 * @note JSON.stringify plus UTF-8 encoding of a 1.3 MB body cost more than rendering a
 * cached image; this is what keeps a repeated request near the cost of sending bytes.
 * Returns the body it sent with each image's base64 still a placeholder: small, for the journal.
 */
import type { ServerResponse } from 'node:http';
import { base64Bytes } from '../images/base64';
import type { Usage } from './account';
import { buildImagesResponse, type ImagesResponse, type PublishUrl } from './respond-json';
import type { EditPlan } from './types';

/** The base64 text of an image, as ASCII bytes (memoised per image by the render caches). */
export type Base64Of = (image: Buffer) => Buffer;


/** A placeholder no real base64 image can equal: its own base64 holds a NUL-delimited tag. */
function placeholder(index: number): Buffer {
  return Buffer.from(`\u0000image-edits-sandbox-image-${index}\u0000`);
}

export function sendImagesResponse(
  res: ServerResponse,
  plan: EditPlan,
  images: readonly Buffer[],
  usage: Usage | undefined,
  created: number,
  publishUrl: PublishUrl,
  base64Of: Base64Of = base64Bytes,
): ImagesResponse {
  const marks = plan.responseFormat === 'b64_json' ? images.map((_, i) => placeholder(i)) : images;
  const body = buildImagesResponse(plan, marks, usage, created, publishUrl);
  const json = JSON.stringify(body);
  const parts: Buffer[] = [];
  let at = 0;
  if (marks !== images)
    marks.forEach((mark, i) => {
      const token = mark.toString('base64');
      const found = json.indexOf(token, at);
      parts.push(Buffer.from(json.slice(at, found)), base64Of(images[i]!));
      at = found + token.length;
    });
  parts.push(Buffer.from(json.slice(at)));
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', parts.reduce((sum, part) => sum + part.length, 0));
  for (const part of parts.slice(0, -1)) res.write(part);
  res.end(parts[parts.length - 1]);
  return body;
}
