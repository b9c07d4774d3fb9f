/**
 * Raw RGBA -> PNG, written here rather than by libvips so that an edit only pays for the
 * pixels it changed; no library re-uses unchanged rows. Rows are filtered (Sub) and deflated
 * by zlib in segments, each ended by a sync flush and carried in an IDAT chunk of its own;
 * together they form one zlib stream. Rows outside the edit are split in bands of BAND_ROWS
 * whose chunks depend only on their own pixels, so they are taken ready-made from a
 * byte-bounded cache (PngBandCache), keyed by the unedited image they come from. The bands
 * the edit touches are one segment, whose filtered bytes outside the edit's spans are the
 * input's: they are kept filtered, with their Adler-32s (PngRowsCache), so a new edit of the
 * same image and mask filters only its own spans before deflating. Cached or not, the bytes
 * are the same.
 * @see https://www.w3.org/TR/png-3/ (chunks, filter type 1, zlib stream split over IDATs)
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { byteBoundedCache, type ByteBoundedCache } from './byte-bounded-cache';
import type { RawImage } from './fit-input';
import { applySpans, pixelsOf, type PaintedSpans } from './paint-edit';

// Math's functions as module constants: in a per-pixel loop, looking up the global `Math` costs
// nothing in Node but a hundredfold inside a vm context (jest's test environment).
const { round } = Math;

/** Rows per band: small enough to re-encode little around an edit, large enough to deflate well. */
export const BAND_ROWS = 32;
/** zlib level: 1 deflates a 1024x1024 photo in about 20 ms, within 10% of level 3's size. */
const PNG_ZLIB_LEVEL = 1;

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

/**
 * The input's filtered rows of an edited segment, and the Adler-32 of each gap between the
 * edit's fresh pieces (stream order: gap, piece, gap, ..., gap), for one image and edit area.
 */
export interface RowsTemplate {
  readonly raw: Buffer;
  /** Per fresh piece (a row's span and the pixel after it): where it starts in raw, and its length. */
  readonly pieceAt: Int32Array;
  readonly pieceLength: Int32Array;
  readonly gapAdler: Uint32Array;
}

/** Templates of edited segments, by `${editKey}:${channels}`; bounded in bytes. */
export type PngRowsCache = ByteBoundedCache<RowsTemplate>;

export function createPngRowsCache(maxBytes: number): PngRowsCache {
  return byteBoundedCache<RowsTemplate>(maxBytes, (t) => t.raw.length + t.pieceAt.length * 12 + 64);
}

export interface PngOptions {
  /** RGBA out; otherwise RGB, flattened onto white (opaque output has no alpha channel). */
  readonly alpha: boolean;
  /**
   * The edit: the image is `image` outside these painted spans. Bands wholly outside its rows
   * are segments of their own (cacheable), the bands it touches one segment. Without it the
   * whole image is one segment.
   */
  readonly painted?: PaintedSpans;
  /**
   * Names for what may be reused: `imageKey` the unedited image (its bands, in `bands`),
   * `editKey` the image with this edit area (its segment's template, in `rows`).
   */
  readonly reuse?: { readonly imageKey: string; readonly editKey: string; readonly bands?: PngBandCache; readonly rows?: PngRowsCache };
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
function adler32Combine(adler1: number, adler2: number, length2: number): number {
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
function filterRows(image: RawImage, y0: number, y1: number, alpha: boolean): Buffer {
  return alpha ? filterRowsRgba(image, y0, y1) : filterRowsRgb(image, y0, y1);
}

function filterRowsRgba(image: RawImage, y0: number, y1: number): Buffer {
  const { width, data } = image;
  const out = Buffer.allocUnsafe((y1 - y0) * (width * 4 + 1));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    const row = y * width * 4;
    out[o++] = data[row]!;
    out[o++] = data[row + 1]!;
    out[o++] = data[row + 2]!;
    out[o++] = data[row + 3]!;
    for (let i = row + 4, end = row + width * 4; i < end; i++) out[o++] = (data[i]! - data[i - 4]!) & 255;
  }
  return out;
}

/** Opaque output: alpha dropped, pixels that are not fully opaque flattened onto white. */
function filterRowsRgb(image: RawImage, y0: number, y1: number): Buffer {
  const { width, data } = image;
  const out = Buffer.allocUnsafe((y1 - y0) * (width * 3 + 1));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    let pr = 0, pg = 0, pb = 0;
    const row = y * width * 4;
    for (let i = row, end = row + width * 4; i < end; i += 4) {
      let r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
      const a = data[i + 3]!;
      if (a !== 255) {
        // c*a + 255*(1-a), rounded.
        const k = 255 - a;
        r = round((r * a + 255 * k) / 255);
        g = round((g * a + 255 * k) / 255);
        b = round((b * a + 255 * k) / 255);
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

const deflateOptions = (rawLength: number): zlib.ZlibOptions => ({
  level: PNG_ZLIB_LEVEL,
  // A sync flush ends the segment on a byte boundary without a final block, so segments concatenate.
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
  // Room for what rows usually deflate to, in one output chunk (more only when they deflate
  // worse than half, then zlib's wrapper joins its chunks): every byte of it is allocated per
  // segment, and external memory is what brings V8's full collections on.
  chunkSize: Math.ceil(rawLength / 2) + 16 * 1024,
});

/** Filtered rows deflated as one segment of the stream, in an IDAT chunk of its own. */
async function deflateSegment(rows: Buffer, first: boolean, adler: number): Promise<EncodedBand> {
  const deflated = await deflateRaw(rows, deflateOptions(rows.length));
  return { chunk: chunk('IDAT', first ? Buffer.concat([ZLIB_HEADER, deflated]) : deflated), adler, rawLength: rows.length };
}

/** Rows [y0, y1) of the image filtered and deflated as one segment. */
function encodeSegment(image: RawImage, y0: number, y1: number, alpha: boolean): Promise<EncodedBand> {
  const rows = filterRows(image, y0, y1, alpha);
  return deflateSegment(rows, y0 === 0, adler32(rows));
}

/**
 * Where the fresh pieces of rows [y0, y1) lie in their filtered bytes: per row with a span,
 * the span and the pixel after it (whose Sub value depends on the span's last pixel).
 */
function freshPieces(width: number, channels: number, painted: PaintedSpans, y0: number, y1: number): { at: Int32Array; length: Int32Array } {
  const { spanStart, spanEnd } = painted.boxes;
  const rowBytes = width * channels + 1;
  const at: number[] = [];
  const length: number[] = [];
  for (let y = Math.max(y0, painted.from); y < Math.min(y1, painted.to); y++) {
    const x0 = spanStart[y]!;
    const x1 = spanEnd[y]!;
    if (x1 <= x0) continue;
    at.push((y - y0) * rowBytes + 1 + x0 * channels);
    length.push((Math.min(width, x1 + 1) - x0) * channels);
  }
  return { at: Int32Array.from(at), length: Int32Array.from(length) };
}

/** The input's side of an edited segment: filtered rows and the Adler-32 of each gap. */
function buildTemplate(image: RawImage, painted: PaintedSpans, y0: number, y1: number, alpha: boolean): RowsTemplate {
  const raw = filterRows(image, y0, y1, alpha);
  const pieces = freshPieces(image.width, alpha ? 4 : 3, painted, y0, y1);
  const gapAdler = new Uint32Array(pieces.at.length + 1);
  let gapFrom = 0;
  for (let p = 0; p <= pieces.at.length; p++) {
    const gapTo = p < pieces.at.length ? pieces.at[p]! : raw.length;
    gapAdler[p] = adler32(raw.subarray(gapFrom, gapTo));
    if (p < pieces.at.length) gapFrom = gapTo + pieces.length[p]!;
  }
  return { raw, pieceAt: pieces.at, pieceLength: pieces.length, gapAdler };
}

/**
 * Writes the Sub-filtered bytes of one fresh piece (row y: its span, painted, and the input's
 * pixel after it) at `at`, and returns their Adler-32. Opaque output flattens onto white as
 * filterRowsRgb does. A run of equal pixels filters to zeros, so it is written as a fill and
 * added to the checksum in one step: flat painting costs per run, not per byte.
 */
function writePiece(out: Buffer, at: number, image: RawImage, painted: PaintedSpans, words: Uint32Array, y: number, alpha: boolean): number {
  const { width, data: input } = image;
  const x0 = painted.boxes.spanStart[y]!;
  const x1 = painted.boxes.spanEnd[y]!;
  const spans = painted.data;
  const spanAt = painted.offsets[y - painted.from]! - x0 * 4;
  const row = y * width * 4;
  const channels = alpha ? 4 : 3;
  let a = 1;
  let b = 0;
  let o = at;
  let pr = 0, pg = 0, pb = 0, pa = 0;
  // One pixel: its filtered bytes against the previous one, into the output and the checksum.
  const put = (from: Buffer, i: number) => {
    let r = from[i]!, g = from[i + 1]!, bl = from[i + 2]!;
    const al = from[i + 3]!;
    if (!alpha && al !== 255) {
      const k = 255 - al;
      r = round((r * al + 255 * k) / 255);
      g = round((g * al + 255 * k) / 255);
      bl = round((bl * al + 255 * k) / 255);
    }
    const v0 = (r - pr) & 255, v1 = (g - pg) & 255, v2 = (bl - pb) & 255;
    out[o] = v0;
    out[o + 1] = v1;
    out[o + 2] = v2;
    a += v0;
    b += a;
    a += v1;
    b += a;
    a += v2;
    b += a;
    if (alpha) {
      const v3 = (al - pa) & 255;
      out[o + 3] = v3;
      a += v3;
      b += a;
    }
    o += channels;
    pr = r;
    pg = g;
    pb = bl;
    pa = al;
  };
  if (x0 > 0) {
    // The left neighbour of the span's first pixel is the input's; put() leaves it as `previous`.
    const keep = o;
    put(input, row + (x0 - 1) * 4);
    o = keep;
    a = 1;
    b = 0;
  }
  const wordAt = spanAt >> 2;
  for (let x = x0; x < x1; ) {
    const word = words[wordAt + x]!;
    put(spans, spanAt + x * 4);
    let n = 1;
    while (x + n < x1 && words[wordAt + x + n] === word) n++;
    if (n > 1) {
      const zeros = (n - 1) * channels;
      out.fill(0, o, o + zeros);
      o += zeros;
      b += zeros * a;
    }
    x += n;
    // Plain numbers: reduced long before they could lose precision.
    if (b > 2 ** 50) {
      a %= ADLER_BASE;
      b %= ADLER_BASE;
    }
  }
  if (x1 < width) put(input, row + x1 * 4);
  return (b % ADLER_BASE) * 65536 + (a % ADLER_BASE);
}

/**
 * The edited segment (rows [y0, y1)): the template's bytes with the fresh pieces written over
 * them, in a copy unless the template was built for this render alone (`own`).
 */
function encodeEditedSegment(image: RawImage, painted: PaintedSpans, y0: number, y1: number, alpha: boolean, template: RowsTemplate, own: boolean): Promise<EncodedBand> {
  const rows = own ? template.raw : Buffer.from(template.raw);
  const { pieceAt, pieceLength, gapAdler } = template;
  const { spanStart, spanEnd } = painted.boxes;
  const words = pixelsOf(painted.data);
  let adler = 1;
  let gapFrom = 0;
  let p = 0;
  for (let y = Math.max(y0, painted.from); y < Math.min(y1, painted.to); y++) {
    if (spanEnd[y]! <= spanStart[y]!) continue;
    const at = pieceAt[p]!;
    adler = adler32Combine(adler, gapAdler[p]!, at - gapFrom);
    adler = adler32Combine(adler, writePiece(rows, at, image, painted, words, y, alpha), pieceLength[p]!);
    gapFrom = at + pieceLength[p]!;
    p++;
  }
  adler = adler32Combine(adler, gapAdler[p]!, rows.length - gapFrom);
  return deflateSegment(rows, y0 === 0, adler);
}

/**
 * Edits that repaint most of their rows (a whole-image edit) gain nothing from the input's
 * filtered bytes: their rows are filtered as one image instead.
 */
function mostlyFresh(painted: PaintedSpans, width: number, y0: number, y1: number): boolean {
  let fresh = 0;
  for (let y = Math.max(y0, painted.from); y < Math.min(y1, painted.to); y++) fresh += Math.max(0, painted.boxes.spanEnd[y]! - painted.boxes.spanStart[y]!);
  return fresh * 2 > width * (y1 - y0);
}

/**
 * Bands outside the edited rows are segments of their own (cacheable); the bands the edit
 * touches are one segment. The split depends only on the edit's rows, never on the cache,
 * so a hit and a miss give the same bytes.
 */
export async function encodePng(image: RawImage, options: PngOptions): Promise<Buffer> {
  const { width, height } = image;
  const bandCount = Math.ceil(height / BAND_ROWS);
  const { painted, reuse, alpha } = options;
  const channels = alpha ? 4 : 3;
  const rowsOf = (band: number) => [band * BAND_ROWS, Math.min(height, (band + 1) * BAND_ROWS)] as const;
  const edited = painted && painted.to > painted.from ? painted : undefined;
  const reusable = (band: number) => {
    if (!painted) return false;
    if (!edited) return true;
    const [y0, y1] = rowsOf(band);
    return y1 <= edited.from || y0 >= edited.to;
  };
  const cachedBand = async (band: number): Promise<EncodedBand> => {
    const cache = reuse?.bands;
    const key = `${reuse?.imageKey}:${channels}:${band}`;
    const hit = cache?.get(key);
    if (hit) return hit;
    const fresh = await encodeSegment(image, ...rowsOf(band), alpha);
    cache?.set(key, fresh);
    return fresh;
  };
  const editedSegment = (y0: number, y1: number): Promise<EncodedBand> => {
    if (!edited) return encodeSegment(image, y0, y1, alpha);
    const key = `${reuse?.editKey}:${channels}:${y0}-${y1}`;
    if (mostlyFresh(edited, width, y0, y1)) {
      const rows = filterRows({ width: image.width, height: y1 - y0, data: applySpans(image, edited, y0, y1) }, 0, y1 - y0, alpha);
      return deflateSegment(rows, y0 === 0, adler32(rows));
    }
    const known = reuse?.rows?.get(key);
    if (known) return encodeEditedSegment(image, edited, y0, y1, alpha, known, false);
    const template = buildTemplate(image, edited, y0, y1, alpha);
    reuse?.rows?.set(key, template);
    return encodeEditedSegment(image, edited, y0, y1, alpha, template, reuse?.rows?.get(key) !== template);
  };
  const pending: Array<Promise<EncodedBand>> = [];
  for (let band = 0; band < bandCount; ) {
    if (reusable(band)) {
      pending.push(cachedBand(band++));
      continue;
    }
    let end = band;
    while (end < bandCount && !reusable(end)) end++;
    pending.push(editedSegment(rowsOf(band)[0], rowsOf(end - 1)[1]));
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
  header[9] = alpha ? 6 : 2; // colour type: RGBA or RGB
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), ...segments.map((b) => b.chunk), chunk('IDAT', trailer), chunk('IEND', Buffer.alloc(0))]);
}
