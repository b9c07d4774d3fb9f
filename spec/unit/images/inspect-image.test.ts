/**
 * readImageHeader reads format, size, alpha and PIL mode from the header alone; bytes it
 * cannot read as an image give undefined, never a throw.
 */
import { readImageHeader } from '../../../server/images/inspect-image';
import { fixture } from '../../helpers/fixtures';
import { FIXTURE_HEADERS } from '../../helpers/step-inputs';

describe('readImageHeader', () => {
  it.each(Object.entries(FIXTURE_HEADERS))('reads %s as %j', async (name, header) => {
    expect(await readImageHeader(fixture(name))).toEqual(header);
  });

  it('reads a 50000x50000 header without decoding a pixel', async () => {
    expect(await readImageHeader(fixture('bomb-50000x50000.png'))).toMatchObject({ format: 'png', width: 50000, height: 50000 });
  });

  it('names a format it does not edit "other"', async () => {
    // A 1x1 GIF: readable, but not PNG, JPEG or WebP.
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    expect(await readImageHeader(gif)).toMatchObject({ format: 'other', width: 1, height: 1 });
  });

  it.each([
    ['no bytes', Buffer.alloc(0)],
    ['text named .png', fixture('not-an-image.png')],
    ['a PNG signature over GIF magic', Buffer.concat([Buffer.from('GIF89a\0\0', 'latin1'), fixture('scene-512.png').subarray(8)])],
  ])('gives undefined for %s', async (_what, bytes) => {
    expect(await readImageHeader(bytes)).toBeUndefined();
  });
});
