import fs from 'node:fs';
import zlib from 'node:zlib';
import { readHeaderWithLibvips, readImageHeader } from '../../../server/images/inspect-image';
import { readPngHeader } from '../../../server/images/png-header';
import { fixturePath } from '../../helpers/fixtures';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), body.length + 4);
  return out;
}

const BITS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** A small valid PNG of the given colour type and depth, with optional extra chunks before IDAT. */
function png(colourType: number, depth: number, extra: Buffer[] = [], interlace = 0): Buffer {
  const width = 5;
  const height = 4;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  ihdr[12] = interlace;
  const rowBytes = Math.ceil((width * BITS[colourType]! * depth) / 8);
  // Interlaced or not, filter-0 zero rows decode: enough bytes for every pass.
  const raw = Buffer.alloc((rowBytes + 1) * height * 2);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const plte = chunk('PLTE', Buffer.from([0, 0, 0, 255, 0, 0, 0, 255, 0]));
const gama = chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f]));

const variants: Array<[string, Buffer]> = [
  ['grey 8-bit', png(0, 8)],
  ['grey 1-bit', png(0, 1)],
  ['grey 16-bit', png(0, 16)],
  ['grey with tRNS', png(0, 8, [chunk('tRNS', Buffer.from([0, 0]))])],
  ['RGB', png(2, 8, [gama])],
  ['RGB 16-bit', png(2, 16)],
  ['RGB with tRNS', png(2, 8, [chunk('tRNS', Buffer.from([0, 0, 0, 0, 0, 0]))])],
  ['palette', png(3, 8, [plte])],
  ['palette 4-bit', png(3, 4, [plte])],
  ['palette with tRNS', png(3, 8, [plte, chunk('tRNS', Buffer.from([0, 255]))])],
  ['grey + alpha', png(4, 8)],
  ['RGBA', png(6, 8)],
  ['RGBA 16-bit interlaced', png(6, 16, [], 1)],
  ['RGBA with text', png(6, 8, [chunk('tEXt', Buffer.from('Comment\0hello', 'latin1'))])],
];

describe('the JavaScript PNG header reader', () => {
  it.each(variants)('agrees with libvips on a %s PNG', async (_name, bytes) => {
    expect(readPngHeader(bytes)).toBeDefined();
    expect(await readImageHeader(bytes)).toEqual(await readHeaderWithLibvips(bytes));
  });

  it.each(fs.readdirSync(fixturePath('.')).map((name) => [name]))('agrees with libvips on the fixture %s', async (name) => {
    const bytes = fs.readFileSync(fixturePath(name));
    expect(await readImageHeader(bytes)).toEqual(await readHeaderWithLibvips(bytes));
  });

  const good = png(6, 8);
  const withBadCrc = Buffer.from(good);
  withBadCrc[29] ^= 0xff; // IHDR's CRC
  it.each([
    ['a damaged IHDR', withBadCrc],
    ['a file cut before IDAT', good.subarray(0, 33 + 6)],
    ['an unknown chunk before IDAT', png(6, 8, [chunk('acTL', Buffer.alloc(8))])],
    ['a palette image without PLTE', png(3, 8)],
    ['a bit depth the colour type does not allow', png(2, 4)],
    ['an ICC profile (left to libvips)', png(2, 8, [chunk('iCCP', Buffer.from('x\0\0', 'latin1'))])],
  ])('leaves %s to libvips', (_name, bytes) => {
    expect(readPngHeader(bytes)).toBeUndefined();
  });
});
