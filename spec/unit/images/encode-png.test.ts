import { BAND_ROWS, createPngBandCache, encodePng } from '../../../server/images/encode-png';
import type { RawImage } from '../../../server/images/fit-input';
import { decodePng } from '../../helpers/fixtures';

/** A deterministic RGBA image with every alpha value present. */
function noise(width: number, height: number, seed = 1): RawImage {
  const data = Buffer.alloc(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

/** The same image with rows [from, to) changed. */
function editRows(image: RawImage, from: number, to: number): RawImage {
  const data = Buffer.from(image.data);
  for (let i = from * image.width * 4; i < to * image.width * 4; i++) data[i] = 255 - data[i]!;
  return { ...image, data };
}

const flatten = (c: number, a: number) => Math.round((c * a + 255 * (255 - a)) / 255);

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
    const expected = Buffer.alloc(image.data.length);
    for (let p = 0; p < 40 * 70; p++) {
      const a = image.data[p * 4 + 3]!;
      for (let c = 0; c < 3; c++) expected[p * 4 + c] = flatten(image.data[p * 4 + c]!, a);
      expected[p * 4 + 3] = 255;
    }
    expect(png.data.equals(expected)).toBe(true);
  });
});

describe('the PNG band cache', () => {
  const base = noise(50, 6 * BAND_ROWS, 3);
  const edited = editRows(base, 2 * BAND_ROWS + 3, 3 * BAND_ROWS + 1);
  const editedRows = { key: 'base', from: 2 * BAND_ROWS + 3, to: 3 * BAND_ROWS + 1 };
  const unedited = (cache: ReturnType<typeof createPngBandCache>) => ({ ...editedRows, cache });
  // The bytes depend on the pixels and the edited rows only: this is the reference, no cache.
  const reference = (image: RawImage, alpha: boolean) => encodePng(image, { alpha, unedited: editedRows });

  it('gives the same bytes on a hit as on a miss, and as without a cache', async () => {
    const cache = createPngBandCache(1 << 20);
    const miss = await encodePng(edited, { alpha: false, unedited: unedited(cache) });
    const hit = await encodePng(edited, { alpha: false, unedited: unedited(cache) });
    const uncached = await reference(edited, false);
    expect(hit.equals(miss)).toBe(true);
    expect(uncached.equals(miss)).toBe(true);
  });

  it('keeps only the bands outside the edited rows, and they rebuild the edited image', async () => {
    const cache = createPngBandCache(1 << 20);
    // Bands filled from the unedited image, then used for the edited one.
    await encodePng(base, { alpha: true, unedited: unedited(cache) });
    expect(cache.size).toBe(6 - 2);
    const png = decodePng(await encodePng(edited, { alpha: true, unedited: unedited(cache) }));
    expect(png.data.equals(edited.data)).toBe(true);
  });

  it('encodes an overlay of edited rows over the unedited image as the edited image itself', async () => {
    const from = 2 * BAND_ROWS + 3;
    const rows = edited.data.subarray(from * 50 * 4, (3 * BAND_ROWS + 1) * 50 * 4);
    const cache = createPngBandCache(1 << 20);
    for (const alpha of [true, false]) {
      const whole = await reference(edited, alpha);
      expect((await encodePng(base, { alpha, overlay: { from, data: rows }, unedited: editedRows })).equals(whole)).toBe(true);
      expect((await encodePng(base, { alpha, overlay: { from, data: rows }, unedited: unedited(cache) })).equals(whole)).toBe(true);
    }
  });

  it('keeps RGB and RGBA bands of one image apart', async () => {
    const cache = createPngBandCache(1 << 20);
    await encodePng(base, { alpha: true, unedited: unedited(cache) });
    const opaque = await encodePng(edited, { alpha: false, unedited: unedited(cache) });
    expect(opaque.equals(await reference(edited, false))).toBe(true);
  });

  it('evicts bands once their bytes reach its bound', async () => {
    const probe = createPngBandCache(1 << 20);
    await encodePng(base, { alpha: true, unedited: unedited(probe) });
    const bound = Math.floor(probe.calculatedSize / 2);
    const cache = createPngBandCache(bound);
    await encodePng(base, { alpha: true, unedited: unedited(cache) });
    expect(cache.calculatedSize).toBeLessThanOrEqual(bound);
    expect(cache.size).toBeLessThan(4);
    expect(cache.size).toBeGreaterThan(0);
  });

  it('caches nothing with a zero budget and still encodes the same bytes', async () => {
    const cache = createPngBandCache(0);
    const bytes = await encodePng(edited, { alpha: false, unedited: unedited(cache) });
    expect(cache.size).toBe(0);
    expect(bytes.equals(await reference(edited, false))).toBe(true);
  });
});
