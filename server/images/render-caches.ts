/**
 * The caches that make repeated and re-prompted edits cheap, one set per sandbox process,
 * each bounded in bytes (LRU): decoded and fitted inputs, whole encoded images by everything
 * that decides their bytes, and PNG bands of unedited inputs (see encode-png.ts). A hit
 * returns the very bytes a miss would have computed, so caching never changes an answer:
 * these are not state (DESIGN.md), and a sandbox with a zero budget answers the same.
 */
import { base64Bytes } from './base64';
import { byteBoundedCache, type ByteBoundedCache } from './byte-bounded-cache';
import { createPngBandCache, createPngRowsCache, type PngBandCache, type PngRowsCache } from './encode-png';
import { createFitCache, type FitCache } from './fit-input';
import type { EditBoxes } from './edit-boxes';
import type { ImageHeader } from './inspect-image';

/** Encoded output images by render key (plan seed, index, reveal and pixel parameters). */
export type EncodedImageCache = ByteBoundedCache<Buffer>;

export function createEncodedImageCache(maxBytes: number): EncodedImageCache {
  // Counted with room for the base64 text RenderCaches.base64Of may keep beside each image.
  return byteBoundedCache<Buffer>(maxBytes, (bytes) => (bytes.length * 7) / 3);
}

/** An upload seen before, by its uploadKey (parse.ts): its bytes (compared in full before use) and sha256. */
export interface KnownUpload {
  readonly buffer: Buffer;
  readonly sha256: string;
}

export interface RenderCaches {
  /**
   * Recent uploads, so a repeated one is compared (memcmp) instead of hashed again, and held
   * once: the request's copy is dropped for the known one.
   */
  readonly uploads: ByteBoundedCache<KnownUpload>;
  /** Image headers by upload sha256 (null: not an image sharp reads). */
  readonly headers: ByteBoundedCache<ImageHeader | 'unreadable'>;
  /** Decoded inputs fitted to an output size, and masks as editability, by upload hash and size. */
  readonly fits: FitCache;
  readonly images: EncodedImageCache;
  readonly pngBands: PngBandCache;
  /** Filtered input rows around an edit area (encode-png.ts), by image, edit area and channels. */
  readonly pngRows: PngRowsCache;
  /** Edit boxes of cached editability arrays; weak, so it holds nothing the fit cache dropped. */
  readonly boxes: WeakMap<Uint8Array, EditBoxes>;
  /**
   * An encoded image's base64 text as ASCII bytes, memoised per image Buffer. Weak: an entry
   * lives only as long as its image, which the byte-bounded `images` cache bounds.
   */
  base64Of(image: Buffer): Buffer;
  clear(): void;
}

/**
 * `bytesEach` bounds the encoded-image cache, and the band and row caches together (half
 * each); `fitBytes` the decoded inputs; 0 caches nothing.
 */
export function createRenderCaches(bytesEach: number, fitBytes: number = bytesEach * 4): RenderCaches {
  const fits = createFitCache(fitBytes);
  const uploads = byteBoundedCache<KnownUpload>(Math.floor(bytesEach / 2), (known) => known.buffer.length + 128);
  const headers = byteBoundedCache<ImageHeader | 'unreadable'>(Math.floor(bytesEach / 64), () => 256);
  const images = createEncodedImageCache(bytesEach);
  const pngBands = createPngBandCache(Math.floor(bytesEach / 2));
  const pngRows = createPngRowsCache(Math.floor(bytesEach / 2));
  let boxes = new WeakMap<Uint8Array, EditBoxes>();
  let base64 = new WeakMap<Buffer, Buffer>();
  return {
    uploads,
    headers,
    fits,
    images,
    pngBands,
    pngRows,
    get boxes() {
      return boxes;
    },
    base64Of(image) {
      const known = base64.get(image);
      if (known) return known;
      const text = base64Bytes(image);
      base64.set(image, text);
      return text;
    },
    clear() {
      uploads.clear();
      headers.clear();
      fits.clear();
      images.clear();
      pngBands.clear();
      pngRows.clear();
      boxes = new WeakMap();
      base64 = new WeakMap();
    },
  };
}
