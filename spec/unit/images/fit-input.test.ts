/**
 * fitInput decodes an upload and fits it to the output size (cover, centred) as RGBA, once per
 * (upload, size): the fit is cached by the upload's hash. Pixels that do not decode give the
 * caller's own error.
 */
import { createFitCache, fitInput, fitKey } from '../../../server/images/fit-input';
import { badImageBytes } from '../../../server/errors/catalogue';
import { decodePng, fixture } from '../../helpers/fixtures';

const MAX_PIXELS = 8192 * 8192;
const undecodable = () => badImageBytes(1, false);

describe('fitInput', () => {
  it('keeps an image already of the output size pixel for pixel, as RGBA', async () => {
    const fitted = await fitInput(fixture('scene-512.png'), 'scene', 512, 512, MAX_PIXELS, createFitCache(1 << 24), undecodable);
    expect(fitted.data.equals(decodePng(fixture('scene-512.png')).data)).toBe(true);
  });

  it('covers the output size, cropping the longer side about the centre', async () => {
    const fitted = await fitInput(fixture('scene-768x512.png'), 'wide', 256, 256, MAX_PIXELS, createFitCache(0), undecodable);
    expect([fitted.width, fitted.height, fitted.data.length]).toEqual([256, 256, 256 * 256 * 4]);
    // A cropped 3:2 image fitted to a square keeps its middle: row 128's centre pixel is the source's centre.
    const source = decodePng(fixture('scene-768x512.png'));
    const at = (img: { width: number; data: Buffer }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
    at(fitted, 128, 128).forEach((v, i) => expect(Math.abs(v - at(source, 384, 256)[i]!)).toBeLessThanOrEqual(12));
  });

  it('decodes an upload once per size: a second fit comes from the cache, under fitKey', async () => {
    const cache = createFitCache(1 << 24);
    const first = await fitInput(fixture('scene-256.png'), 'hash', 512, 512, MAX_PIXELS, cache, undecodable);
    // The cache is keyed by hash and size: the bytes are not read again.
    const again = await fitInput(Buffer.from('not an image'), 'hash', 512, 512, MAX_PIXELS, cache, undecodable);
    expect(again).toBe(first);
    expect(cache.has(fitKey('hash', 512, 512))).toBe(true);
    expect(fitKey('hash', 512, 512)).toBe('hash:512x512');
  });

  it.each([
    ['pixels that do not decode', fixture('corrupt-idat-512.png'), MAX_PIXELS],
    ['more pixels than the bound', fixture('scene-512.png'), 512 * 512 - 1],
  ])('throws the caller\'s error for %s', async (_what, bytes, maxPixels) => {
    await expect(fitInput(bytes, 'x', 64, 64, maxPixels, createFitCache(0), undecodable)).rejects.toEqual(undecodable());
  });
});
