import { base64Bytes } from '../../../server/images/base64';
import { createEncodedImageCache, createRenderCaches } from '../../../server/images/render-caches';

const image = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill);
/** What the cache counts for an image: the image and room for its base64 text. */
const counted = (bytes: number) => Math.ceil((bytes * 7) / 3);

describe('the encoded-image cache', () => {
  it('returns the very bytes it was given', () => {
    const cache = createEncodedImageCache(1 << 20);
    const bytes = image(1000, 7);
    cache.set('a', bytes);
    expect(cache.get('a')!.equals(image(1000, 7))).toBe(true);
  });

  it('evicts the least recently used image once its bytes reach the bound', () => {
    const cache = createEncodedImageCache(counted(1000) * 2);
    cache.set('a', image(1000));
    cache.set('b', image(1000));
    cache.get('a');
    cache.set('c', image(1000));
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.calculatedSize).toBeLessThanOrEqual(counted(1000) * 2);
  });

  it('refuses an image larger than the whole bound, and everything with a zero budget', () => {
    const small = createEncodedImageCache(counted(1000));
    small.set('big', image(2000));
    expect(small.has('big')).toBe(false);
    const none = createEncodedImageCache(0);
    none.set('a', image(10));
    expect(none.size).toBe(0);
  });
});

describe('RenderCaches', () => {
  it('gives base64 text equal to a fresh encoding, the same bytes again on a second call', () => {
    const caches = createRenderCaches(1 << 20);
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const first = caches.base64Of(bytes);
    expect(first.toString('latin1')).toBe(bytes.toString('base64'));
    expect(caches.base64Of(bytes)).toBe(first);
  });

  it('empties every cache on clear()', () => {
    const caches = createRenderCaches(1 << 20);
    const bytes = image(100);
    caches.images.set('a', bytes);
    caches.pngBands.set('b', { chunk: image(10), adler: 1, rawLength: 10 });
    const text = caches.base64Of(bytes);
    caches.clear();
    expect([caches.images.size, caches.pngBands.size]).toEqual([0, 0]);
    expect(caches.base64Of(bytes)).not.toBe(text);
  });
});

describe('base64Bytes', () => {
  it('gives the text of the whole for every length around its slices', () => {
    for (const length of [0, 1, 2, 3, 4, 49151, 49152, 49153, 98305, 200_000]) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 131 + 7) & 255));
      expect(base64Bytes(bytes).toString('latin1')).toBe(bytes.toString('base64'));
    }
  });
});
