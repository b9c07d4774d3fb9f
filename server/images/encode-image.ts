/**
 * Raw RGBA -> bytes in the requested format, with sharp (libvips, off the event loop).
 * Opaque output has no alpha channel at all; transparent output keeps it.
 */
import { sharp } from './load-sharp';
import type { ImageFormat } from '../edits/types';
import type { RawImage } from './fit-input';

export interface EncodeOptions {
  readonly format: ImageFormat;
  /** 0..100; jpeg/webp quality. PNG is lossless and ignores it, as the live API does. */
  readonly compression: number;
  readonly transparent: boolean;
}

/** zlib level for PNG: fast enough for a sandbox, still a real deflate stream. */
export const PNG_COMPRESSION_LEVEL = 3;

export async function encodeImage(image: RawImage, options: EncodeOptions): Promise<Buffer> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (!options.transparent) pipeline = pipeline.flatten({ background: '#ffffff' });
  const quality = Math.max(1, Math.min(100, options.compression));
  switch (options.format) {
    case 'png':
      return pipeline.png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: false }).toBuffer();
    case 'jpeg':
      return pipeline.jpeg({ quality }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality, alphaQuality: 100 }).toBuffer();
  }
}
