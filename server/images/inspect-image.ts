/**
 * Reads an upload's header (never its pixels) with sharp: format, dimensions, alpha, mode.
 * A decompression bomb is refused here, before any pixel is decoded.
 */
import { sharp } from './load-sharp';
import type { ImageFormat } from './types';

export interface ImageHeader {
  readonly format: ImageFormat | 'other';
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  readonly mode: string;
}

/** PIL's mode names, which dall-e-2's live errors quote. */
function modeOf(channels: number, isPalette: boolean): string {
  if (isPalette) return 'P';
  return ['L', 'LA', 'RGB', 'RGBA'][channels - 1] ?? 'RGB';
}

/** The header of an image, or undefined when the bytes are not an image sharp can read. */
export async function readImageHeader(buffer: Buffer): Promise<ImageHeader | undefined> {
  if (buffer.length === 0) return undefined;
  try {
    const meta = await sharp(buffer, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height || !meta.format) return undefined;
    const format = meta.format === 'png' || meta.format === 'jpeg' || meta.format === 'webp' ? meta.format : 'other';
    const channels = meta.channels ?? 3;
    return {
      format,
      width: meta.width,
      // Animated images report the height of all frames stacked; a frame is what is edited.
      height: meta.pageHeight ?? meta.height,
      hasAlpha: meta.hasAlpha === true,
      mode: modeOf(channels, meta.isPalette === true && meta.hasAlpha !== true),
    };
  } catch {
    return undefined;
  }
}
