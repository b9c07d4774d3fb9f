/**
 * The bench's inputs, generated deterministically on every run (no checked-in binaries):
 * a photo-like 1024x1024 scene (gradients, shapes and a fixed grain, so it compresses like
 * a photo rather than a flat drawing), an OpenAI-style mask, and a ~20 MB image of noise.
 */
import sharp from 'sharp';

/** xorshift32: a tiny fixed PRNG, so the grain and the noise are the same on every run. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s & 0xff;
  };
}

function rawPng(width: number, height: number, channels: 3 | 4, data: Buffer, compressionLevel = 6): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel, adaptiveFiltering: true }).toBuffer();
}

/** A sky, a hill, a sun and a house, with a grain of +-6 levels: about 0.8 MB as PNG at 1024x1024. */
export function scenePng(size: number): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 3);
  const grain = xorshift(1024);
  for (let y = 0; y < size; y++) {
    const horizon = size * 0.62 + Math.sin((y / size) * 7) * size * 0.01;
    for (let x = 0; x < size; x++) {
      const hill = horizon + Math.sin((x / size) * Math.PI * 2) * size * 0.05;
      let r: number, g: number, b: number;
      if ((x - size * 0.75) ** 2 + (y - size * 0.22) ** 2 < (size * 0.08) ** 2) [r, g, b] = [250, 210, 60];
      else if (x > size * 0.18 && x < size * 0.36 && y > hill - size * 0.16 && y < hill + size * 0.04) [r, g, b] = [170, 70, 50];
      else if (y > hill) [r, g, b] = [50, 120 + (40 * (y - hill)) / size, 60];
      else [r, g, b] = [90 + (80 * y) / size, 150 + (60 * y) / size, 230];
      const n = (grain() % 13) - 6;
      const i = (y * size + x) * 3;
      data[i] = Math.max(0, Math.min(255, Math.round(r + n)));
      data[i + 1] = Math.max(0, Math.min(255, Math.round(g + n)));
      data[i + 2] = Math.max(0, Math.min(255, Math.round(b + n)));
    }
  }
  return rawPng(size, size, 3, data);
}

/** Alpha 0 marks the edit: a centred disc covering about a fifth of the image. */
export function maskPng(size: number): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size * 0.55) ** 2 < (size * 0.25) ** 2;
      data[(y * size + x) * 4 + 3] = inside ? 0 : 255;
    }
  return rawPng(size, size, 4, data);
}

/** RGB noise barely compresses, so side*side*3 bytes of pixels make a PNG of about that size. */
export function noisePng(targetBytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(targetBytes / 3));
  const data = Buffer.alloc(side * side * 3);
  const next = xorshift(20);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return rawPng(side, side, 3, data, 1);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The same pixels under other bytes: a tEXt chunk carrying `text` before IEND. Each such
 * image hashes differently, so the sandbox decodes it afresh, as it would a new upload.
 */
export function withTextChunk(png: Buffer, text: string): Buffer {
  const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0${text}`, 'latin1')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}
