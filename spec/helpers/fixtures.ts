/** The fixture images, read once, and pngjs as the independent decoder. */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'images');
const cache = new Map<string, Buffer>();

export function fixturePath(name: string): string {
  return path.join(DIR, name);
}

export function fixture(name: string): Buffer {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = fs.readFileSync(fixturePath(name));
    cache.set(name, bytes);
  }
  return bytes;
}

/** Decodes PNG bytes with pngjs (never with the encoder that made them). */
export function decodePng(bytes: Buffer): { width: number; height: number; data: Buffer; colorType: number; alpha: boolean } {
  const png = PNG.sync.read(bytes);
  const colorType = (png as unknown as { colorType?: number }).colorType ?? 6;
  return { width: png.width, height: png.height, data: png.data, colorType, alpha: png.alpha };
}

/** The format named by an image's magic bytes. */
export function sniffFormat(bytes: Buffer): 'png' | 'jpeg' | 'webp' | 'unknown' {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return 'unknown';
}
