/**
 * Which pixels an edit repaints, as 0..255 per pixel of the output: the mask's transparent
 * area (OpenAI masks mark the edit with alpha 0), the image's own transparency (dall-e-2
 * without a mask), or null for the whole image (GPT models without a mask).
 */
import { sharp } from './load-sharp';
import type { EditArea } from './types';
import type { SandboxError } from '../errors/sandbox-error';
import type { FitCache, RawImage } from './fit-input';

function invertAlpha(rgba: Buffer, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) out[p] = 255 - rgba[p * 4 + 3]!;
  return out;
}

/** The mask fitted like the image, as editability; cached by the mask's sha256. */
async function maskEditability(
  mask: Buffer,
  sha256: string,
  width: number,
  height: number,
  maxInputPixels: number,
  cache: FitCache,
  undecodable: () => SandboxError,
): Promise<Uint8Array> {
  const key = `mask:${sha256}:${width}x${height}`;
  const hit = cache.get(key);
  if (hit) return hit.data;
  let alpha: Buffer;
  try {
    alpha = await sharp(mask, { limitInputPixels: maxInputPixels, failOn: 'error' })
      .resize(width, height, { fit: 'cover', position: 'centre' })
      .ensureAlpha()
      .extractChannel('alpha')
      .raw()
      .toBuffer();
  } catch {
    throw undecodable();
  }
  for (let p = 0; p < alpha.length; p++) alpha[p] = 255 - alpha[p]!;
  cache.set(key, { width, height, data: alpha });
  return alpha;
}

export async function editability(
  area: EditArea,
  fittedImage: RawImage,
  mask: { buffer: Buffer; sha256: string } | undefined,
  maxInputPixels: number,
  cache: FitCache,
  /** The answer when the mask's pixels do not decode. */
  undecodable: () => SandboxError,
): Promise<Uint8Array | null> {
  const { width, height } = fittedImage;
  if (area === 'whole') return null;
  if (area === 'alpha') return invertAlpha(fittedImage.data, width * height);
  if (!mask) throw new Error('edit area "mask" without a mask');
  return maskEditability(mask.buffer, mask.sha256, width, height, maxInputPixels, cache, undecodable);
}
