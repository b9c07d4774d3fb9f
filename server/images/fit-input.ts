/**
 * Decodes an upload and fits it to the output size (cover, centred) as raw RGBA, on sharp's
 * thread pool. The result depends only on (bytes, size), so it is cached by the upload's
 * sha256: repeated or re-prompted edits of the same image skip the decode entirely.
 */
import type { SandboxError } from '../errors/sandbox-error';
import { byteBoundedCache, type ByteBoundedCache } from './byte-bounded-cache';
import { sharp } from './load-sharp';
import type { Slots } from './slots';

export interface RawImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes a pixel, row by row. */
  readonly data: Buffer;
  /** Every alpha is 255 (known for fitted inputs): an opaque encoder may drop the channel as is. */
  readonly opaque?: boolean;
}

/** Whether every pixel of RGBA bytes is fully opaque. */
export function isOpaque(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/** Byte-bounded cache of fitted inputs, one per sandbox instance. */
export type FitCache = ByteBoundedCache<RawImage>;

export function createFitCache(maxBytes: number): FitCache {
  return byteBoundedCache<RawImage>(maxBytes, (value) => value.data.length);
}

/** The fit cache's key for an upload fitted to a size. */
export function fitKey(sha256: string, width: number, height: number): string {
  return `${sha256}:${width}x${height}`;
}

export async function fitInput(
  buffer: Buffer,
  sha256: string,
  width: number,
  height: number,
  maxInputPixels: number,
  cache: FitCache,
  /** The answer when the pixels do not decode (the header passed inspection, the rest did not). */
  undecodable: () => SandboxError,
  /** Bounds the decodes in flight at once, when given. */
  decodes?: Slots,
): Promise<RawImage> {
  const key = fitKey(sha256, width, height);
  const hit = cache.get(key);
  if (hit) return hit;
  let data: Buffer;
  const decode = () =>
    sharp(buffer, { limitInputPixels: maxInputPixels, failOn: 'error' })
      .resize(width, height, { fit: 'cover', position: 'centre' })
      .ensureAlpha()
      .raw()
      .toBuffer();
  try {
    data = await (decodes ? decodes.run(decode) : decode());
  } catch {
    throw undecodable();
  }
  const fitted = { width, height, data, opaque: isOpaque(data) };
  cache.set(key, fitted);
  return fitted;
}
