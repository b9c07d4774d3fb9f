/** The Content-Type of each image format the sandbox reads and writes. */
import type { ImageFormat } from './types';

export const MIME_TYPE_OF: Readonly<Record<ImageFormat, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The Content-Type of a format name, or undefined for anything else. */
export function mimeTypeOf(format: string): string | undefined {
  return Object.hasOwn(MIME_TYPE_OF, format) ? MIME_TYPE_OF[format as ImageFormat] : undefined;
}
