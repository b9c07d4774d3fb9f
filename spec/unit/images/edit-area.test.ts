/**
 * Which pixels an edit repaints, 0..255 per output pixel: the mask's transparent area, the
 * image's own transparency (dall-e-2 without a mask), or null for all of them.
 */
import { editability } from '../../../server/images/edit-area';
import { createFitCache, type RawImage } from '../../../server/images/fit-input';
import { errors } from '../../../server/errors/catalogue';
import { decodePng, fixture } from '../../helpers/fixtures';

const MAX_PIXELS = 8192 * 8192;
const maskError = () => errors.maskNotPng();
const image = (name: string): RawImage => decodePng(fixture(name));
const inverted = (rgba: Buffer) => Uint8Array.from({ length: rgba.length / 4 }, (_, p) => 255 - rgba[p * 4 + 3]!);
const maskOf = (name: string, sha256 = name) => ({ buffer: fixture(name), sha256 });

describe('editability', () => {
  it('is null for the whole image', async () => {
    expect(await editability('whole', image('scene-512.png'), undefined, MAX_PIXELS, createFitCache(0), maskError)).toBeNull();
  });

  it('is the image\'s transparency for area alpha', async () => {
    const fitted = image('scene-rgba-512.png');
    expect(await editability('alpha', fitted, undefined, MAX_PIXELS, createFitCache(0), maskError)).toEqual(inverted(fitted.data));
  });

  it('is the mask\'s transparency for area mask, fitted to the image', async () => {
    expect(await editability('mask', image('scene-512.png'), maskOf('mask-512.png'), MAX_PIXELS, createFitCache(0), maskError)).toEqual(inverted(image('mask-512.png').data));
    const scaled = await editability('mask', image('scene-512.png'), maskOf('mask-256.png'), MAX_PIXELS, createFitCache(0), maskError);
    // The disc in the middle is editable, the corners are not.
    expect([scaled!.length, scaled![256 * 512 + 256], scaled![0]]).toEqual([512 * 512, 255, 0]);
  });

  it('fits a mask once per size: a second call comes from the cache', async () => {
    const cache = createFitCache(1 << 24);
    const first = await editability('mask', image('scene-512.png'), maskOf('mask-512.png', 'm'), MAX_PIXELS, cache, maskError);
    const again = await editability('mask', image('scene-512.png'), { buffer: Buffer.from('gone'), sha256: 'm' }, MAX_PIXELS, cache, maskError);
    expect(again).toEqual(first);
  });

  it('throws the caller\'s error for a mask whose pixels do not decode', async () => {
    await expect(editability('mask', image('scene-512.png'), maskOf('corrupt-idat-512.png'), MAX_PIXELS, createFitCache(0), maskError)).rejects.toEqual(maskError());
  });

  it('refuses area mask without a mask: a plan that says so is a bug, not a request error', async () => {
    await expect(editability('mask', image('scene-512.png'), undefined, MAX_PIXELS, createFitCache(0), maskError)).rejects.toThrow('edit area "mask" without a mask');
  });
});
