import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { identify } from '../../../server/edits/parse';
import { createRenderCaches } from '../../../server/images/render-caches';

describe('known uploads', () => {
  it('reuse the first copy and its sha256 for equal bytes, and hash bytes that only share a CRC key', () => {
    const caches = createRenderCaches(1 << 20);
    const bytes = Buffer.from('an upload of some bytes');
    const first = identify(bytes, caches.uploads);
    expect(first.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const again = identify(Buffer.from(bytes), caches.uploads);
    expect(again.buffer).toBe(bytes);
    expect(again.sha256).toBe(first.sha256);
    // Another upload under the same key (forged here) is compared, found different, and hashed.
    const other = Buffer.from('another upload, same key');
    caches.uploads.set(`${other.length}:${zlib.crc32(other)}`, { buffer: Buffer.alloc(other.length), sha256: 'x' });
    expect(identify(other, caches.uploads).sha256).toBe(createHash('sha256').update(other).digest('hex'));
  });

  it('keeps none with a zero budget', () => {
    const caches = createRenderCaches(0, 0);
    identify(Buffer.from('bytes'), caches.uploads);
    caches.headers.set('a', 'unreadable');
    expect([caches.uploads.size, caches.headers.size]).toEqual([0, 0]);
  });
});
