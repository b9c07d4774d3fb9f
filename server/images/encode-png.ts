/**
 * Raw RGBA -> PNG, written here rather than by libvips so that an edit only pays for the
 * rows it changed. Rows are filtered (Sub) and deflated in segments, each ended by a sync
 * flush and carried in an IDAT chunk of its own; together they form one zlib stream. Rows
 * outside the edit are split in bands of BAND_ROWS whose chunks depend only on their own
 * pixels, so they are taken ready-made from a byte-bounded cache (PngBandCache), keyed by the
 * unedited image they come from. Cached or not, the bytes are the same.
 * @see https://www.w3.org/TR/png-3/ (chunks, filter type 1, zlib stream split over IDATs)
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { byteBoundedCache, type ByteBoundedCache } from './byte-bounded-cache';
import type { RawImage } from './fit-input';

/** Rows per band: small enough to re-encode little around an edit, large enough to deflate well. */
export const BAND_ROWS = 32;
/** zlib level: 1 deflates a 1024x1024 photo in about 20 ms, within 10% of level 3's size. */
export const PNG_ZLIB_LEVEL = 1;

/** One encoded band: its IDAT chunk, and what the stream's Adler-32 needs from it. */
export interface EncodedBand {
  readonly chunk: Buffer;
  readonly adler: number;
  readonly rawLength: number;
}

/** Encoded bands of unedited images, by `${imageKey}:${channels}:${band}`; bounded in bytes. */
export type PngBandCache = ByteBoundedCache<EncodedBand>;

export function createPngBandCache(maxBytes: number): PngBandCache {
  return byteBoundedCache<EncodedBand>(maxBytes, (band) => band.chunk.length + 64);
}

export interface PngOptions {
  /** RGBA out; otherwise RGB, flattened onto white (opaque output has no alpha channel). */
  readonly alpha: boolean;
  /** Rows that replace the image's own from row `from` on (RGBA), so an edit need not copy the image. */
  readonly overlay?: { readonly from: number; readonly data: Buffer };
  /**
   * The image equals an unedited one (named by `key`) outside rows [from, to): bands wholly
   * outside come from (and go to) the cache, when there is one. Without `unedited` the whole
   * image is one segment.
   */
  readonly unedited?: { readonly key: string; readonly from: number; readonly to: number; readonly cache?: PngBandCache };
}

const deflateRaw = promisify(zlib.deflateRaw) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** zlib header: deflate, 32 KiB window, no dictionary. */
const ZLIB_HEADER = Buffer.from([0x78, 0x01]);
/** An empty final block (fixed Huffman, end-of-block only): closes the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const ADLER_BASE = 65521;

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** zlib.crc32 arrived in Node 20.15; the package supports 20.9, so keep a table-driven fallback. */
const crc32: (data: Buffer) => number =
  typeof zlib.crc32 === 'function'
    ? (data) => zlib.crc32(data)
    : (data) => {
        let c = -1;
        for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length + 12);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  const n = data.length;
  for (let i = 0; i < n; ) {
    // 5552 bytes is the most that cannot overflow 32 bits before the modulo (zlib's NMAX).
    const end = Math.min(n, i + 5552);
    for (; i < end; i++) {
      a = (a + data[i]!) >>> 0;
      b = (b + a) >>> 0;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return b * 65536 + a;
}

/** Adler-32 of two concatenated pieces from theirs (zlib's adler32_combine). */
export function adler32Combine(adler1: number, adler2: number, length2: number): number {
  const rem = length2 % ADLER_BASE;
  const a1 = adler1 % 65536;
  const b1 = Math.floor(adler1 / 65536);
  const a2 = adler2 % 65536;
  const b2 = Math.floor(adler2 / 65536);
  const a = (a1 + a2 + ADLER_BASE - 1) % ADLER_BASE;
  const b = ((rem * a1) % ADLER_BASE + b1 + b2 + ADLER_BASE - rem) % ADLER_BASE;
  return b * 65536 + a;
}

/** Rows [y0, y1) as PNG scanlines: filter byte 1 (Sub), then each byte minus its left neighbour's. */
function filterRows(image: RawImage, y0: number, y1: number, options: PngOptions): Buffer {
  return options.alpha ? filterRowsRgba(image, y0, y1, options.overlay) : filterRowsRgb(image, y0, y1, options.overlay);
}

type Overlay = PngOptions['overlay'];

/** Where row y's RGBA bytes are: the overlay's when it covers y, else the image's. */
function rowSource(image: RawImage, overlay: Overlay, y: number): { data: Buffer; row: number } {
  const rowBytes = image.width * 4;
  if (overlay && y >= overlay.from && (y - overlay.from) * rowBytes < overlay.data.length) return { data: overlay.data, row: (y - overlay.from) * rowBytes };
  return { data: image.data, row: y * rowBytes };
}

function filterRowsRgba(image: RawImage, y0: number, y1: number, overlay: Overlay): Buffer {
  const { width } = image;
  const out = Buffer.allocUnsafe((y1 - y0) * (width * 4 + 1));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    const { data, row } = rowSource(image, overlay, y);
    out[o++] = data[row]!;
    out[o++] = data[row + 1]!;
    out[o++] = data[row + 2]!;
    out[o++] = data[row + 3]!;
    for (let i = row + 4, end = row + width * 4; i < end; i++) out[o++] = (data[i]! - data[i - 4]!) & 255;
  }
  return out;
}

/** Opaque output: alpha dropped, pixels that are not fully opaque flattened onto white. */
function filterRowsRgb(image: RawImage, y0: number, y1: number, overlay: Overlay): Buffer {
  const { width } = image;
  const out = Buffer.allocUnsafe((y1 - y0) * (width * 3 + 1));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    let pr = 0, pg = 0, pb = 0;
    const { data, row } = rowSource(image, overlay, y);
    for (let i = row, end = row + width * 4; i < end; i += 4) {
      let r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
      const a = data[i + 3]!;
      if (a !== 255) {
        // c*a + 255*(1-a), rounded.
        const k = 255 - a;
        r = Math.round((r * a + 255 * k) / 255);
        g = Math.round((g * a + 255 * k) / 255);
        b = Math.round((b * a + 255 * k) / 255);
      }
      out[o++] = (r - pr) & 255;
      out[o++] = (g - pg) & 255;
      out[o++] = (b - pb) & 255;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  return out;
}

/** Rows [y0, y1) filtered and deflated as one segment of the stream, in an IDAT chunk of its own. */
async function encodeSegment(image: RawImage, y0: number, y1: number, options: PngOptions): Promise<EncodedBand> {
  const rows = filterRows(image, y0, y1, options);
  // A sync flush ends the segment on a byte boundary without a final block, so segments concatenate.
  // One output chunk: fewer callbacks and no concatenation in zlib's stream wrapper.
  const deflated = await deflateRaw(rows, { level: PNG_ZLIB_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: rows.length + 1024 });
  return { chunk: chunk('IDAT', y0 === 0 ? Buffer.concat([ZLIB_HEADER, deflated]) : deflated), adler: adler32(rows), rawLength: rows.length };
}

/**
 * Bands outside the edited rows are segments of their own (cacheable); the bands the edit
 * touches are one segment. The split depends only on the edited rows, never on the cache,
 * so a hit and a miss give the same bytes.
 */
export async function encodePng(image: RawImage, options: PngOptions): Promise<Buffer> {
  const { width, height } = image;
  const bandCount = Math.ceil(height / BAND_ROWS);
  const { unedited } = options;
  const channels = options.alpha ? 4 : 3;
  const rowsOf = (band: number) => [band * BAND_ROWS, Math.min(height, (band + 1) * BAND_ROWS)] as const;
  const reusable = (band: number) => {
    const [y0, y1] = rowsOf(band);
    return unedited !== undefined && (y1 <= unedited.from || y0 >= unedited.to);
  };
  const cachedBand = async (band: number): Promise<EncodedBand> => {
    const cache = unedited?.cache;
    const key = `${unedited?.key}:${channels}:${band}`;
    const hit = cache?.get(key);
    if (hit) return hit;
    // Bands of the unedited image: the overlay (the edit) is never part of them.
    const fresh = await encodeSegment(image, ...rowsOf(band), { alpha: options.alpha });
    cache?.set(key, fresh);
    return fresh;
  };
  const pending: Array<Promise<EncodedBand>> = [];
  for (let band = 0; band < bandCount; ) {
    if (reusable(band)) {
      pending.push(cachedBand(band++));
      continue;
    }
    let end = band;
    while (end < bandCount && !reusable(end)) end++;
    pending.push(encodeSegment(image, rowsOf(band)[0], rowsOf(end - 1)[1], options));
    band = end;
  }
  const segments = await Promise.all(pending);
  let adler = 1;
  for (const segment of segments) adler = adler32Combine(adler, segment.adler, segment.rawLength);
  const trailer = Buffer.allocUnsafe(6);
  FINAL_BLOCK.copy(trailer, 0);
  trailer.writeUInt32BE(adler, 2);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = options.alpha ? 6 : 2; // colour type: RGBA or RGB
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), ...segments.map((b) => b.chunk), chunk('IDAT', trailer), chunk('IEND', Buffer.alloc(0))]);
}
