/**
 * An image's base64 text as ASCII bytes, made in slices: each slice's string is small enough
 * to be born and die in V8's young generation, where one 1.3 MB string would be allocated in
 * the old one and bring on a full garbage collection every few requests. Slices are whole
 * 3-byte groups, so their texts join into exactly the text of the whole.
 */
const SLICE = 3 * 16 * 1024;

export function base64Bytes(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(bytes.length / 3) * 4);
  let at = 0;
  for (let i = 0; i < bytes.length; i += SLICE) at += out.write(bytes.toString('base64', i, Math.min(bytes.length, i + SLICE)), at, 'latin1');
  return out;
}
