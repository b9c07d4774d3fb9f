/**
 * A PNG's header read in JavaScript, for the common case of a well-formed PNG: what libvips
 * would report (format, size, alpha, mode) without a call into it. It decides only when it is
 * sure: any chunk before the first IDAT that is unknown, damaged or out of place leaves the
 * answer to libvips (undefined).
 * @see https://www.w3.org/TR/png-3/#11IHDR
 */
import zlib from 'node:zlib';

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  /** Channels libvips decodes to: a tRNS chunk adds an alpha channel. */
  readonly channels: number;
  readonly isPalette: boolean;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bit depths allowed per colour type. */
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };
/** Ancillary chunks that change nothing libvips reports here; anything else goes to libvips. */
const PLAIN_CHUNKS = new Set(['gAMA', 'cHRM', 'sRGB', 'pHYs', 'bKGD', 'sBIT', 'tIME', 'tEXt', 'zTXt', 'iTXt']);

const crcOk = (buffer: Buffer, start: number, length: number): boolean =>
  typeof zlib.crc32 === 'function' && zlib.crc32(buffer.subarray(start + 4, start + 8 + length)) === buffer.readUInt32BE(start + 8 + length);

export function readPngHeader(buffer: Buffer): PngHeader | undefined {
  if (buffer.length < 8 + 25 || !buffer.subarray(0, 8).equals(SIGNATURE)) return undefined;
  if (buffer.readUInt32BE(8) !== 13 || buffer.toString('latin1', 12, 16) !== 'IHDR' || !crcOk(buffer, 8, 13)) return undefined;
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  const depth = buffer[24]!;
  const colourType = buffer[25]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  if (!DEPTHS[colourType]?.includes(depth) || buffer[26] !== 0 || buffer[27] !== 0 || buffer[28]! > 1) return undefined;
  let palette = false;
  let transparency = false;
  for (let at = 33; ; ) {
    if (at + 12 > buffer.length) return undefined;
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    if (length > 0x7fffffff || at + 12 + length > buffer.length || !crcOk(buffer, at, length)) return undefined;
    if (type === 'IDAT') break;
    if (type === 'PLTE' && !palette && !transparency) palette = true;
    else if (type === 'tRNS' && !transparency && colourType !== 4 && colourType !== 6 && (colourType !== 3 || palette)) transparency = true;
    else if (!PLAIN_CHUNKS.has(type)) return undefined;
    at += 12 + length;
  }
  if (colourType === 3 && !palette) return undefined;
  return {
    width,
    height,
    hasAlpha: colourType === 4 || colourType === 6 || transparency,
    channels: CHANNELS[colourType]! + (transparency ? 1 : 0),
    isPalette: colourType === 3,
  };
}
