import { editBoxes } from '../../../server/images/edit-boxes';
import { BAND_ROWS, createPngBandCache, createPngRowsCache, encodePng, type PngOptions } from '../../../server/images/encode-png';
import type { RawImage } from '../../../server/images/fit-input';
import { applySpans, type PaintedSpans } from '../../../server/images/paint-edit';
import { decodePng } from '../../helpers/fixtures';

/** Deterministic bytes with every value present. */
function noiseBytes(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return data;
}

const noise = (width: number, height: number, seed = 1): RawImage => ({ width, height, data: noiseBytes(width * height * 4, seed) });

/**
 * An edit area over rows [from, to) shaped like a soft-edged blob: some rows empty, spans
 * touching the left and the right edge, partly editable pixels; painted with noise.
 */
function blobEdit(image: RawImage, from: number, to: number, seed = 9): PaintedSpans {
  const { width, height } = image;
  const editability = new Uint8Array(width * height);
  for (let y = from; y < to; y++) {
    if (y % 7 === 3) continue;
    const x0 = y % 5 === 0 ? 0 : (y * 3) % Math.floor(width / 2);
    const x1 = y % 4 === 0 ? width : Math.min(width, x0 + 5 + ((y * 7) % width));
    for (let x = x0; x < x1; x++) editability[y * width + x] = x === x0 ? 100 : 255;
  }
  const boxes = editBoxes(editability, width, height);
  const offsets = new Int32Array(to - from + 1);
  let total = 0;
  for (let y = from; y < to; y++) {
    offsets[y - from] = total;
    total += Math.max(0, boxes.spanEnd[y]! - boxes.spanStart[y]!) * 4;
  }
  offsets[to - from] = total;
  return { from: boxes.paint.y0, to: boxes.paint.y1 + 1, boxes, data: noiseBytes(total, seed), offsets: offsets.subarray(boxes.paint.y0 - from) };
}

const flatten = (c: number, a: number) => Math.round((c * a + 255 * (255 - a)) / 255);

/** What an opaque PNG of RGBA pixels decodes to: flattened onto white. */
function flattened(rgba: Buffer): Buffer {
  const out = Buffer.alloc(rgba.length);
  for (let p = 0; p < rgba.length / 4; p++) {
    const a = rgba[p * 4 + 3]!;
    for (let c = 0; c < 3; c++) out[p * 4 + c] = flatten(rgba[p * 4 + c]!, a);
    out[p * 4 + 3] = 255;
  }
  return out;
}

describe('encodePng writes PNGs an independent decoder reads back exactly', () => {
  it('keeps every RGBA value when the output has alpha', async () => {
    const image = noise(67, 3 * BAND_ROWS + 5);
    const png = decodePng(await encodePng(image, { alpha: true }));
    expect([png.width, png.height, png.colorType]).toEqual([67, 3 * BAND_ROWS + 5, 6]);
    expect(png.data.equals(image.data)).toBe(true);
  });

  it('flattens onto white and drops alpha when the output is opaque', async () => {
    const image = noise(40, 70, 7);
    const png = decodePng(await encodePng(image, { alpha: false }));
    expect(png.colorType).toBe(2);
    expect(png.data.equals(flattened(image.data))).toBe(true);
  });

  it.each([true, false])('encodes painted spans over the input as the edited image itself (alpha %s)', async (alpha) => {
    const base = noise(50, 6 * BAND_ROWS, 3);
    const painted = blobEdit(base, 2 * BAND_ROWS + 3, 4 * BAND_ROWS + 1);
    const edited = applySpans(base, painted);
    const png = decodePng(await encodePng(base, { alpha, painted, reuse: { imageKey: 'base', editKey: 'blob' } }));
    expect(png.data.equals(alpha ? edited : flattened(edited))).toBe(true);
  });
});

describe('a whole-image edit', () => {
  it.each([true, false])('is encoded as the edited image itself, its revealed rows painted and the rest the input (alpha %s)', async (alpha) => {
    const base = noise(40, 4 * BAND_ROWS, 5);
    const boxes = editBoxes(null, 40, 4 * BAND_ROWS);
    const to = 2 * BAND_ROWS + 7;
    const offsets = Int32Array.from({ length: to + 1 }, (_, y) => y * 40 * 4);
    const painted: PaintedSpans = { from: 0, to, boxes, data: noiseBytes(to * 40 * 4, 11), offsets };
    const edited = applySpans(base, painted);
    const rows = createPngRowsCache(1 << 20);
    const png = decodePng(await encodePng(base, { alpha, painted, reuse: { imageKey: 'w', editKey: 'w', rows } }));
    expect(png.data.equals(alpha ? edited : flattened(edited))).toBe(true);
    expect(rows.size).toBe(0);
  });
});

describe('the PNG band and row caches', () => {
  const base = noise(50, 6 * BAND_ROWS, 3);
  const painted = blobEdit(base, 2 * BAND_ROWS + 3, 3 * BAND_ROWS + 1);
  const other = { ...painted, data: noiseBytes(painted.data.length, 77) };
  const caches = (bytes = 1 << 20) => ({ bands: createPngBandCache(bytes), rows: createPngRowsCache(bytes) });
  const options = (alpha: boolean, p: PaintedSpans, c?: ReturnType<typeof caches>): PngOptions => ({ alpha, painted: p, reuse: { imageKey: 'base', editKey: 'blob', ...c } });
  // The bytes depend on the pixels and the edit's rows only: this is the reference, no cache.
  const reference = (alpha: boolean, p: PaintedSpans) => encodePng(base, options(alpha, p));

  it.each([true, false])('gives the same bytes on a hit as on a miss, and as without a cache (alpha %s)', async (alpha) => {
    const c = caches();
    const miss = await encodePng(base, options(alpha, painted, c));
    const hit = await encodePng(base, options(alpha, painted, c));
    expect(c.rows.size).toBe(1);
    expect(hit.equals(miss)).toBe(true);
    expect((await reference(alpha, painted)).equals(miss)).toBe(true);
    // Another picture in the same spans reuses the same bands and rows, with its own pixels.
    const again = await encodePng(base, options(alpha, other, c));
    expect(again.equals(await reference(alpha, other))).toBe(true);
    const edited = applySpans(base, other);
    expect(decodePng(again).data.equals(alpha ? edited : flattened(edited))).toBe(true);
  });

  it('keeps only the bands outside the edited rows', async () => {
    const c = caches();
    await encodePng(base, options(true, painted, c));
    expect(c.bands.size).toBe(6 - 2);
  });

  it('keeps RGB and RGBA bands and rows of one image apart', async () => {
    const c = caches();
    await encodePng(base, options(true, painted, c));
    const opaque = await encodePng(base, options(false, painted, c));
    expect(opaque.equals(await reference(false, painted))).toBe(true);
    expect(c.rows.size).toBe(2);
  });

  it('evicts bands once their bytes reach its bound', async () => {
    const probe = caches();
    await encodePng(base, options(true, painted, probe));
    const bound = Math.floor(probe.bands.calculatedSize / 2);
    const c = { bands: createPngBandCache(bound), rows: createPngRowsCache(bound) };
    await encodePng(base, options(true, painted, c));
    expect(c.bands.calculatedSize).toBeLessThanOrEqual(bound);
    expect(c.bands.size).toBeLessThan(4);
    expect(c.bands.size).toBeGreaterThan(0);
  });

  it('caches nothing with a zero budget and still encodes the same bytes', async () => {
    const c = caches(0);
    const bytes = await encodePng(base, options(false, painted, c));
    expect([c.bands.size, c.rows.size]).toEqual([0, 0]);
    expect(bytes.equals(await reference(false, painted))).toBe(true);
  });
});
